"""The wrappers' and shared layers' exports beyond the example specs: every Bidirectional merge mode on a masked
sequence (padding at the end and at the start), Bidirectional's several outputs and initial_state against Keras's own
numbers, TimeDistributed over a named number of steps, and a shared layer stored once."""
import json
from pathlib import Path

import numpy as np
import pytest
from onnx_support import assert_same_outputs, needs_ort, run_onnx
from support import KERAS_FIXTURES, read_fixture

import graphspec

pytestmark = needs_ort
ROOT = Path(__file__).resolve().parents[2]


def graph_of(inputs: dict, layers: list, version: int = 1, outputs: list | None = None):
    document = {"graphspec": version, "name": "wrapped", "inputs": inputs, "layers": layers}
    document |= {"outputs": outputs} if outputs else {}
    return graphspec.check(graphspec.loads(json.dumps(document), format="json"))


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
@pytest.mark.parametrize("cell", ["LSTM", "GRU", "SimpleRNN"])
def test_bidirectional_on_a_masked_sequence_is_the_numpy_backends(merge_mode, cell):
    graph = graph_of({"ids": {"shape": [7], "dtype": "int32"}}, [
        {"type": "Embedding", "name": "embed", "input_dim": 9, "output_dim": 4, "mask_zero": True, "inputs": "ids"},
        {"type": "Bidirectional", "name": "both", "merge_mode": merge_mode,
         "layer": {"type": cell, "units": 3, "return_sequences": True}},
        {"type": "Bidirectional", "name": "last", "merge_mode": merge_mode, "layer": {"type": cell, "units": 3}}])
    ids = np.random.default_rng(1).integers(1, 9, (4, 7)).astype("int32")
    ids[0, 5:], ids[1, :2], ids[2, 3] = 0, 0, 0  # padding at the end, at the start, and inside
    assert_same_outputs(graph, inputs={"ids": ids})
    assert_same_outputs(graph)


@pytest.mark.parametrize("cell", ["LSTM", "GRU", "SimpleRNN"])
def test_bidirectional_states_and_both_directions_on_a_masked_sequence_are_the_numpy_backends(cell):
    count = 2 + (4 if cell == "LSTM" else 2)  # both directions' outputs, then their states
    graph = graph_of({"ids": {"shape": [7], "dtype": "int32"}}, [
        {"type": "Embedding", "name": "embed", "input_dim": 9, "output_dim": 4, "mask_zero": True, "inputs": "ids"},
        {"type": "Bidirectional", "name": "encoder", "merge_mode": None,
         "layer": {"type": cell, "units": 3, "return_state": True}},
        {"type": "Bidirectional", "name": "decoder", "inputs": "embed", "merge_mode": None,
         "layer": {"type": cell, "units": 3, "return_sequences": True, "return_state": True},
         "initial_state": [f"encoder:{i}" for i in range(2, count)]},
        {"type": cell, "name": "after_backward", "inputs": "decoder:backward", "units": 2}],
        outputs=[f"{name}:{i}" for name in ("encoder", "decoder") for i in range(count)] + ["after_backward"])
    assert len(graph.outputs) == 2 * count + 1
    ids = np.random.default_rng(2).integers(1, 9, (4, 7)).astype("int32")
    ids[0, 4:], ids[1, :3], ids[2, 2] = 0, 0, 0  # padding at the end, at the start, and inside
    assert_same_outputs(graph, inputs={"ids": ids})
    assert_same_outputs(graph)


def test_bidirectional_states_fixture_runs_in_onnxruntime_to_keras_numbers():
    weights, inputs, expected = read_fixture(KERAS_FIXTURES / "bidirectional_states.npz")
    graph = graphspec.check(KERAS_FIXTURES / "bidirectional_states.yaml")
    got = run_onnx(graphspec.to_onnx(graph, weights), inputs)
    assert sorted(got) == sorted(expected)
    for name, want in expected.items():
        np.testing.assert_allclose(got[name], want, rtol=1e-4, atol=1e-5, err_msg=f"output {name}")


def test_time_distributed_over_named_steps_is_the_numpy_backends():
    graph = graph_of({"frames": {"shape": ["T", 6, 6, 2]}}, [
        {"type": "TimeDistributed", "name": "conv", "inputs": "frames",
         "layer": {"type": "Conv2D", "filters": 3, "kernel_size": 3}},
        {"type": "TimeDistributed", "name": "flat", "layer": {"type": "Flatten"}},
        {"type": "Bidirectional", "name": "summary", "layer": {"type": "GRU", "units": 4}}])
    assert_same_outputs(graph)


def test_a_shared_layer_reuses_its_owners_initializers():
    graph = graph_of({"left": {"shape": [5]}, "right": {"shape": [5]}}, [
        {"type": "Dense", "name": "encode", "units": 4, "inputs": "left"},
        {"shared": "encode", "name": "encode_right", "inputs": "right"},
        {"type": "Add", "name": "joined", "inputs": ["encode", "encode_right"]}], version=2)
    names = [i.name for i in graphspec.to_onnx(graph).graph.initializer]
    assert sorted(names) == ["encode/bias", "encode/kernel"]
    assert_same_outputs(graph)


def test_a_named_size_too_small_is_the_numpy_backends_run_error_before_onnxruntime_runs(capfd):
    graph = graphspec.check(ROOT / "specs" / "variable_length_signal.yaml")
    for backend in ("numpy", "onnxruntime"):
        with pytest.raises(graphspec.RunError, match=r"T = 2 is too small for this model: layer 'narrow'"):
            graphspec.compile(graph, backend=backend)(np.zeros((1, 2, 8), "float32"))
    assert "ExecuteKernel" not in capfd.readouterr().err  # ONNX Runtime never saw the batch
    long = np.random.default_rng(0).uniform(-1, 1, (3, 40, 8)).astype("float32")
    assert_same_outputs(graph, inputs={"signal": long})
