"""The activation names a spec may use, as Keras 3.15 registers them (keras.activations ALL_OBJECTS and aliases).

The checker only needs the names; each backend implements every one of them. A name stands for the function with
Keras's default arguments (celu alpha 1, squareplus b 4, soft_shrink threshold 0.5...), as Keras calls it by name.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

ACTIVATIONS = (
    "linear",
    "relu",
    "relu6",
    "leaky_relu",
    "elu",
    "celu",
    "selu",
    "gelu",
    "glu",
    "sigmoid",
    "hard_sigmoid",
    "keras2_hard_sigmoid",  # Keras 1 and 2's hard_sigmoid, clip(0.2 x + 0.5, 0, 1): what their files mean by it
    "sparse_sigmoid",
    "log_sigmoid",
    "tanh",
    "hard_tanh",
    "tanh_shrink",
    "hard_shrink",
    "soft_shrink",
    "softmax",
    "log_softmax",
    "sparsemax",
    "softplus",
    "sparse_plus",
    "squareplus",
    "softsign",
    "silu",
    "swish",
    "hard_silu",
    "hard_swish",
    "mish",
    "exponential",
)
# Activations that change the shape: glu splits the last axis in two halves and returns half as many features.
HALVES_LAST_AXIS = frozenset({"glu"})
# Names Keras registers but cannot call by name alone: threshold(x, threshold, default_value) has no defaults, so
# keras.layers.Activation("threshold") fails when it runs.
UNCALLABLE = {"threshold": "the threshold activation needs its threshold and default_value arguments, which a "
                           "name cannot give (Keras fails when the layer runs); for values at or below a threshold "
                           "set to 0, use a ReLU layer with threshold"}


def _refuse(names: dict[str, str]):
    def check(value: Any) -> Any:
        if isinstance(value, str) and value in names:
            raise PydanticCustomError("activation_refused", names[value])
        return value
    return BeforeValidator(check)


_IN_A_LAYER = {"glu": "glu halves the last axis, which Keras's layers with an activation argument leave out of their "
                      "output shape (Keras then reports twice the features the layer returns, and the next layer "
                      "fails): give this layer twice the units or filters and add an Activation layer with glu after it"}

# The `activation` field of the Activation layer: every name, glu included (its rule halves the last axis).
LayerActivationName = Annotated[Literal[tuple(n for n in ACTIVATIONS)], _refuse(UNCALLABLE)]
# The `activation` fields of Dense, Conv, the recurrent layers...: every name that keeps the shape.
ActivationName = Annotated[Literal[tuple(n for n in ACTIVATIONS if n not in HALVES_LAST_AXIS)],
                           _refuse(UNCALLABLE | _IN_A_LAYER)]
