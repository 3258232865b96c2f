"""Every example spec, registry model and Keras parity fixture spec exports to a model that onnx's full check
accepts, whose inferred shapes agree with graphspec's checker, and that ONNX Runtime runs to the NumPy backend's
numbers (1e-5 relative) at batch 1 and 32."""
from pathlib import Path

import pytest
from onnx_support import assert_same_outputs, needs_ort, registry_graph

import graphspec
from graphspec.layers import layer_types

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted([*(ROOT / "specs").glob("*.yaml"), *(ROOT / "specs").glob("*.json")])
FIXTURE_SPECS = sorted((ROOT / "tests" / "fixtures" / "keras").glob("*.yaml"))
KINDS = [cls.__name__ for cls in layer_types()]
NOT_YET: set[str] = set()

pytestmark = needs_ort


def onnx_dims(value_info):
    return tuple(d.dim_value if d.HasField("dim_value") else None for d in value_info.type.tensor_type.shape.dim)


def assert_checked_and_consistent(graph):
    """onnx.checker's full check (which runs strict shape inference), then each layer's value (named after the
    layer, or layer:output for a layer's further outputs) as inferred against graphspec's output type: the same
    dtype, and every size ONNX infers."""
    import onnx
    from onnx import helper

    model = graphspec.to_onnx(graph)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    found = {v.name: v for v in [*inferred.graph.value_info, *inferred.graph.output]}
    compared = 0
    for name, tensor in every_output(graph):
        info = found.get(name)
        if info is None or not info.type.tensor_type.HasField("shape"):
            continue
        assert helper.tensor_dtype_to_np_dtype(info.type.tensor_type.elem_type) == tensor.dtype, name
        dims = onnx_dims(info)
        assert len(dims) == tensor.rank, (name, dims, tensor.shape)
        for axis, (got, want) in enumerate(zip(dims[1:], tensor.shape[1:]), 1):
            assert got is None or got == want, f"{name} axis {axis}: ONNX infers {got}, graphspec {want}"
        compared += 1
    return compared


def every_output(graph):
    """(reference, TensorType) of every output of every layer, as the export names their values."""
    for name in graph.layer_names():
        for ref, tensor in zip(graph[name].refs(name), graph[name].outputs.values()):
            yield ref, tensor


def spec_graph(path):
    return graphspec.check(path)


@pytest.mark.parametrize("path", [p for p in SPECS + FIXTURE_SPECS if p.stem not in NOT_YET],
                         ids=lambda p: p.parent.name + "/" + p.name)
def test_spec_exports_checked_consistent_and_same_numbers(path):
    graph = spec_graph(path)
    assert assert_checked_and_consistent(graph) >= 1
    assert_same_outputs(graph)


@pytest.mark.parametrize("kind", KINDS)
def test_registry_model_is_checked_and_consistent(kind):
    assert assert_checked_and_consistent(registry_graph(kind)) == 1
