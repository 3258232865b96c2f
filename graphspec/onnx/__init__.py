"""ONNX export: a reader of the checked graph, one mapping per layer family (graphspec/onnx/ops), found by type name.

`to_onnx(graph, weights)` gives an onnx.ModelProto; onnx is imported only when it is called, so graphspec works
without it (`pip install graphspec[onnx]` brings it).
"""
from .registry import ONNX_MASKS, ONNX_OPS, onnx_mask, onnx_op

IR_VERSION = 8  # ONNX 1.10's IR: loaded by ONNX Runtime 1.10 and later
OPSET = 17  # ONNX Runtime 1.13 and later run it; LayerNormalization is an operator from 17 on


def to_onnx(graph, weights=None, seed: int = 0):
    """The checked graph as an onnx.ModelProto; weights by layer and Keras name (the NumPy backend's initial ones,
    from `seed`, when omitted)."""
    from .export import export_model  # imports onnx
    return export_model(graph, weights, seed)


__all__ = ["to_onnx", "onnx_op", "onnx_mask", "ONNX_OPS", "ONNX_MASKS", "IR_VERSION", "OPSET"]
