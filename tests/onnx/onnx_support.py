"""Helpers of the ONNX tests: the registry's one-layer models, and a run of the export in ONNX Runtime."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np

import graphspec

ort = None
if importlib.util.find_spec("onnxruntime") and importlib.util.find_spec("onnx"):
    import onnxruntime as ort  # noqa: F811

import pytest

INDEX_LAYERS = {"Embedding"}  # their example input is token ids
needs_ort = pytest.mark.skipif(ort is None, reason="needs onnx and onnxruntime: pip install -e '.[onnx]'")


def registry_examples() -> dict:
    """tests/layers/test_registry.py's EXAMPLES: type -> (minimal spec mapping, input shape(s), output shape)."""
    path = Path(__file__).resolve().parents[1] / "layers" / "test_registry.py"
    spec = importlib.util.spec_from_file_location("layer_registry_examples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EXAMPLES


def registry_graph(kind: str):
    """The layer's minimal example of tests/layers/test_registry.py as a model: its input(s) with every unknown
    size after the batch made 6."""
    spec, shapes, _ = registry_examples()[kind]
    shapes = shapes if isinstance(shapes, list) else [shapes]
    dtype = "int32" if kind in INDEX_LAYERS else "float32"
    inputs = {f"in{i}": {"shape": [6 if n is None else n for n in shape[1:]], "dtype": dtype}
              for i, shape in enumerate(shapes)}
    layer = dict(spec, name="layer", inputs=list(inputs) if len(inputs) > 1 else "in0")
    document = {"graphspec": 1, "name": kind, "inputs": inputs, "layers": [layer]}
    return graphspec.check(graphspec.loads(json.dumps(document), format="json"))


def sample_inputs(graph, batch: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Random inputs: floats in [-2, 2), ids within every Embedding's table (small ones: 0 masks with mask_zero);
    every unknown or named size (T) after the batch is 5."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for name, tensor in graph.input_types.items():
        shape = (batch, *(n if type(n) is int else 5 for n in tensor.shape[1:]))
        if tensor.is_integer:
            arrays[name] = rng.integers(0, 3, shape).astype(tensor.dtype)
        else:
            arrays[name] = rng.uniform(-2, 2, shape).astype(tensor.dtype)
    return arrays


def run_onnx(model_proto, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    session = ort.InferenceSession(model_proto.SerializeToString(), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, inputs)))


def assert_same_outputs(graph, weights=None, batches=(1, 32), seed=0, inputs=None, rtol=1e-5, atol=1e-5):
    """The export run by ONNX Runtime gives the NumPy backend's outputs (same weights) within rtol; a batch the NumPy
    backend refuses (a mask Keras refuses too) is compared by the onnxruntime backend's tests instead."""
    numpy_model = graphspec.compile(graph, seed=seed, weights=weights)
    proto = graphspec.to_onnx(graph, numpy_model.get_weights())
    for batch in batches:
        given = inputs if inputs is not None else sample_inputs(graph, batch, seed)
        try:
            want = numpy_model(given)
        except graphspec.RunError:
            continue
        want = want if isinstance(want, dict) else {graph.outputs[0]: want}
        got = run_onnx(proto, given)
        for name, expected in want.items():
            assert got[name].shape == expected.shape, (name, got[name].shape, expected.shape)
            assert got[name].dtype == expected.dtype, (name, got[name].dtype, expected.dtype)
            np.testing.assert_allclose(got[name], expected, rtol=rtol, atol=atol, err_msg=f"output {name}")
        if inputs is not None:
            break
