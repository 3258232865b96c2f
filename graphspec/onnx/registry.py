"""The exporter's per-layer knowledge, found by the layer's type name (as the NumPy backend finds its kernels).

A mapping is `fn(layer, info, inputs, weights, ctx)`: the layer (its spec fields), its LayerInfo from the checked
graph (output type), the ONNX value names of its inputs, its weights by Keras name (NumPy arrays) and the
Builder (graphspec/onnx/builder.py), which adds nodes and initializers and knows the input types and masks.
It returns the value name of its output, or a list of names for a layer with several outputs. A mapping
never derives a shape: every shape and dtype it needs is on `info` and `ctx.input_types`.

A mask rule (`@onnx_mask`) is Kernel.output_mask's counterpart: the value name of the layer's output mask (a bool
tensor of the output's leading axes), or None. Without one, Keras's rule holds: a layer that supports masking
passes its single input's mask on, others drop it.
"""
from __future__ import annotations

from typing import Callable

ONNX_OPS: dict[str, Callable] = {}
ONNX_MASKS: dict[str, Callable] = {}


def onnx_op(*kinds: str):
    """Registers the ONNX mapping of the layer types named (their canonical Keras class names)."""
    def register(fn):
        for kind in kinds:
            ONNX_OPS[kind] = fn
        return fn
    return register


def onnx_mask(*kinds: str):
    """Registers how the layer types named compute their output mask, where Keras's default rule does not hold."""
    def register(fn):
        for kind in kinds:
            ONNX_MASKS[kind] = fn
        return fn
    return register


def default_mask(layer, info, inputs, masks, ctx):
    return masks[0] if layer.supports_masking and len(masks) == 1 else None


def mask_rule(kind: str) -> Callable:
    return ONNX_MASKS.get(kind, default_mask)


class ExportRefused(Exception):
    """Raised by a mapping for a layer it cannot express exactly in ONNX; the exporter makes it diagnostic GS950."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint
