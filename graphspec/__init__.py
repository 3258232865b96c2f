"""graphspec: declare a neural network in a YAML or JSON file and know, before anything runs, that it fits together."""
from . import layers
from .api import check, load, loads
from .backends import compile
from .checked import CheckedGraph, LayerInfo
from .diagnostics import Code, Diagnostic, RunError, Severity, SpecError
from .infer import analyze
from .onnx import to_onnx
from .render import render
from .schema import InputSpec, Spec
from .types import TensorType

__all__ = ["load", "loads", "check", "analyze", "compile", "render", "to_onnx", "Spec", "InputSpec", "layers",
           "CheckedGraph", "LayerInfo", "TensorType", "Diagnostic", "Severity", "Code", "SpecError", "RunError"]
__version__ = "0.1.0"
