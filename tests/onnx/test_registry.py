"""Every registered layer type has an ONNX mapping, and every one-layer registry model exports and runs."""
import pytest
from onnx_support import assert_same_outputs, needs_ort, registry_examples, registry_graph

from graphspec.layers import LAYERS, layer_types
from graphspec.onnx import ONNX_OPS
from graphspec.onnx import ops  # noqa: F401 - registers the mappings

NAMES = [cls.__name__ for cls in layer_types()]
NOT_EXPORTED: set[str] = set()  # layer types with no ONNX mapping yet


def test_every_layer_type_has_an_onnx_mapping():
    missing = sorted({cls.__name__ for cls in LAYERS.values()} - set(ONNX_OPS) - NOT_EXPORTED)
    assert not missing, f"add an ONNX mapping (graphspec/onnx/ops/) for {', '.join(missing)}"


@needs_ort
@pytest.mark.parametrize("kind", [n for n in NAMES if n not in NOT_EXPORTED])
def test_registry_model_runs_in_onnxruntime_as_in_numpy(kind):
    assert kind in registry_examples()
    assert_same_outputs(registry_graph(kind))
