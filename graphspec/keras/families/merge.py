"""Keras 1's Merge layer, one class for every mode, as Keras 3's layer for its mode; Keras 3's operation nodes
(`x + y`, `x * 2`, `keras.ops.add`) as the graphspec layers that compute them."""
from __future__ import annotations

from . import Mapping, register

MODES = {"sum": "Add", "mul": "Multiply", "concat": "Concatenate", "ave": "Average", "max": "Maximum",
         "dot": "Dot", "cos": "Dot"}


def _merge(config: dict) -> tuple[str, dict]:
    mode = config.get("mode", "sum")
    kept = {k: v for k, v in config.items() if k in ("name", "trainable")}
    if mode == "concat":
        kept["axis"] = config.get("concat_axis", -1)
    if mode in ("dot", "cos"):
        kept["axes"] = config.get("dot_axes", -1)
        kept["normalize"] = mode == "cos"
    return MODES.get(mode, f"Merge(mode={mode})"), kept


register(Mapping(renamed_class=_merge), "Merge")

# Keras 3 operation nodes (module keras.src.ops.*): class name -> (graphspec type with two tensors, with a tensor and
# a number c: the Rescaling that computes it as scale and offset).
OPERATIONS = {"Add": ("Add", lambda c: (1.0, c)), "Subtract": ("Subtract", lambda c: (1.0, -c)),
              "Multiply": ("Multiply", lambda c: (c, 0.0)), "Divide": (None, lambda c: (1.0 / c, 0.0)),
              "TrueDivide": (None, lambda c: (1.0 / c, 0.0)), "Maximum": ("Maximum", None),
              "Minimum": ("Minimum", None), "Average": ("Average", None)}
ACTIVATIONS = {"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softmax": "softmax", "Gelu": "gelu",
               "Silu": "silu", "Relu6": "relu6", "Elu": "elu", "Selu": "selu", "Softplus": "softplus",
               "Exp": "exponential", "LeakyRelu": "leaky_relu", "HardSigmoid": "hard_sigmoid"}
