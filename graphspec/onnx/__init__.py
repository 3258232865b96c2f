"""ONNX export: a reader of the checked graph, one mapping per layer family (graphspec/onnx/ops), found by type name.

`to_onnx(graph, weights)` gives an onnx.ModelProto; onnx is imported only when it is called, so graphspec works
without it (`pip install graphspec[onnx]` brings it).
"""
from .registry import ONNX_MASKS, ONNX_OPS, onnx_mask, onnx_op

IR_VERSION = 8  # ONNX 1.10's IR: loaded by ONNX Runtime 1.10 and later
OPSET = 17  # ONNX Runtime 1.13 and later run it; LayerNormalization is an operator from 17 on


INSTALL = "pip install graphspec[onnx]"


class OnnxNotInstalled(ImportError):
    """onnx (or onnxruntime) is missing; the message says what to install."""


def require(module: str, purpose: str):
    """Imports onnx or onnxruntime, or raises OnnxNotInstalled saying in one line what to install."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError:
        raise OnnxNotInstalled(f"{purpose} needs {module}, which is not installed: {INSTALL}") from None


def to_onnx(graph, weights=None, seed: int = 0):
    """The checked graph as an onnx.ModelProto; weights by layer and Keras name (the NumPy backend's initial ones,
    from `seed`, when omitted)."""
    require("onnx", "ONNX export")
    from .export import export_model
    return export_model(graph, weights, seed)


__all__ = ["to_onnx", "OnnxNotInstalled", "require", "INSTALL", "onnx_op", "onnx_mask", "ONNX_OPS", "ONNX_MASKS", "IR_VERSION", "OPSET"]
