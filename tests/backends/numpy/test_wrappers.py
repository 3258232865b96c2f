"""TimeDistributed and Bidirectional through the public path, against references that loop over the steps (the
wrapped layer applied step by step) and over the two directions (test_recurrent's step-by-step cells)."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from support import assert_close, build

import graphspec

_SPEC = importlib.util.spec_from_file_location("recurrent_references", Path(__file__).with_name("test_recurrent.py"))
recurrent = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(recurrent)  # its loop references: reference_rnn, with UNITS units and FEATURES features
UNITS, FEATURES, CELLS, CELL_IDS = recurrent.UNITS, recurrent.FEATURES, recurrent.CELLS, recurrent.CELL_IDS
# Padding (id 0) at the end, in the middle, at the start, and a sequence with every step masked.
IDS = np.array([[3, 1, 4, 0, 0], [2, 0, 5, 0, 1], [0, 0, 6, 2, 3], [0, 0, 0, 0, 0]], np.int32)
MERGE = {"concat": lambda a, b: np.concatenate([a, b], -1), "sum": np.add, "mul": np.multiply,
         "ave": lambda a, b: (a + b) / 2}


def test_time_distributed_dense_is_the_dense_of_each_step():
    model, w = build([{"type": "TimeDistributed", "name": "td", "layer": {"type": "Dense", "units": 4,
                                                                           "activation": "tanh"}}],
                     {"x": {"shape": [6, 3]}})
    x = np.random.default_rng(0).normal(size=(2, 6, 3)).astype(np.float32)
    expected = np.stack([np.tanh(x[:, t] @ w["td"]["kernel"] + w["td"]["bias"]) for t in range(6)], axis=1)
    assert_close(model(x), expected)


@pytest.mark.parametrize("inner", [
    {"type": "Conv2D", "filters": 3, "kernel_size": 3, "padding": "same", "activation": "relu"},
    {"type": "MaxPooling2D", "pool_size": 2}, {"type": "Flatten"}, {"type": "BatchNormalization"},
    {"type": "GlobalAveragePooling2D"}, {"type": "Dropout", "rate": 0.5},
])
def test_time_distributed_runs_the_wrapped_layer_on_every_frame(inner):
    """Against the same layer, unwrapped, run frame by frame with the same weights."""
    clip = {"clip": {"shape": [None, 6, 6, 2]}}
    model, w = build([{"type": "TimeDistributed", "name": "td", "layer": inner}], clip)
    alone = graphspec.compile(graphspec.check(graphspec.loads(
        '{"graphspec": 1, "inputs": {"frame": {"shape": [6, 6, 2]}}, "layers": [%s]}'
        % str({**inner, "name": "td"}).replace("'", '"'), format="json")))
    if w:
        alone.set_weights({"td": {k: v.astype(np.float32) for k, v in w["td"].items()}})
    x = np.random.default_rng(1).normal(size=(2, 4, 6, 6, 2)).astype(np.float32)
    expected = np.stack([alone(x[:, t]) for t in range(4)], axis=1)
    np.testing.assert_allclose(model(x), expected, rtol=1e-6, atol=1e-6)


def test_time_distributed_passes_the_mask_on():
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": FEATURES, "mask_zero": True},
              {"type": "TimeDistributed", "name": "td", "layer": {"type": "Dense", "units": FEATURES}},
              {"type": "LSTM", "name": "rnn", "units": UNITS}]
    model, w = build(layers, {"ids": {"shape": [5], "dtype": "int32"}})
    per_step = w["emb"]["embeddings"][IDS] @ w["td"]["kernel"] + w["td"]["bias"]
    assert_close(model(IDS), recurrent.reference_rnn("LSTM", per_step, w["rnn"], IDS != 0))


def direction(kind, x, w, mask, return_sequences, backwards, reset_after):
    """One direction as Keras's Bidirectional runs it: read in its order, zero at masked steps with
    return_sequences, and put back in input order."""
    read_x = x[:, ::-1] if backwards else x
    read_mask = None if mask is None else (mask[:, ::-1] if backwards else mask)
    out = recurrent.reference_rnn(kind, read_x, w, read_mask, True, reset_after=reset_after)
    if not return_sequences:
        return out[:, -1]
    if read_mask is not None:
        out = out * read_mask[..., None]
    return out[:, ::-1] if backwards else out


def split(weights):
    return [{k[len(p):]: v for k, v in weights.items() if k.startswith(p)} for p in ("forward_", "backward_")]


@pytest.mark.parametrize("kind, fields", CELLS, ids=CELL_IDS)
@pytest.mark.parametrize("merge", sorted(MERGE))
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_matches_two_directions_with_masks(kind, fields, merge, return_sequences):
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": FEATURES, "mask_zero": True},
              {"type": "Bidirectional", "name": "bi", "merge_mode": merge,
               "layer": {"type": kind, "units": UNITS, "return_sequences": return_sequences, **fields}}]
    model, w = build(layers, {"ids": {"shape": [5], "dtype": "int32"}})
    x, mask, after = w["emb"]["embeddings"][IDS], IDS != 0, fields.get("reset_after", True)
    forward, backward = split(w["bi"])
    expected = MERGE[merge](direction(kind, x, forward, mask, return_sequences, False, after),
                            direction(kind, x, backward, mask, return_sequences, True, after))
    out = model(IDS)
    assert_close(out, expected)
    if return_sequences:  # masked steps are zeros in both directions, as Keras forces there
        np.testing.assert_array_equal(out[3], MERGE[merge](np.zeros((5, UNITS)), np.zeros((5, UNITS))))


@pytest.mark.parametrize("batch", [1, 3])
def test_bidirectional_without_a_mask_and_a_backward_layer_of_another_type(batch):
    layers = [{"type": "Bidirectional", "name": "bi", "layer": {"type": "LSTM", "units": UNITS},
               "backward_layer": {"type": "GRU", "units": UNITS, "go_backwards": True, "reset_after": False}}]
    model, w = build(layers, {"x": {"shape": [None, FEATURES]}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, 6, FEATURES)).astype(np.float32)
    forward, backward = split(w["bi"])
    expected = np.concatenate([direction("LSTM", x, forward, None, False, False, True),
                               direction("GRU", x, backward, None, False, True, False)], -1)
    assert_close(model(x), expected)


def test_a_forward_layer_reading_backwards_beside_a_backward_layer_reading_forwards():
    """Keras flips the backward layer's sequence whichever way it read: both outputs end up reversed here."""
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": FEATURES, "mask_zero": True},
              {"type": "Bidirectional", "name": "bi",
               "layer": {"type": "SimpleRNN", "units": UNITS, "go_backwards": True, "return_sequences": True},
               "backward_layer": {"type": "SimpleRNN", "units": UNITS, "return_sequences": True}}]
    model, w = build(layers, {"ids": {"shape": [5], "dtype": "int32"}})
    x, mask = w["emb"]["embeddings"][IDS], IDS != 0
    forward, backward = split(w["bi"])
    reversed_forward = direction("SimpleRNN", x, forward, mask, True, True, True)[:, ::-1]
    flipped_backward = direction("SimpleRNN", x, backward, mask, True, False, True)[:, ::-1]
    assert_close(model(IDS), np.concatenate([reversed_forward, flipped_backward], -1))


def test_bidirectional_passes_the_mask_on_with_return_sequences():
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": FEATURES, "mask_zero": True},
              {"type": "Bidirectional", "name": "bi", "merge_mode": "sum",
               "layer": {"type": "GRU", "units": UNITS, "return_sequences": True}},
              {"type": "LSTM", "name": "rnn", "units": UNITS}]
    model, w = build(layers, {"ids": {"shape": [5], "dtype": "int32"}})
    x, mask = w["emb"]["embeddings"][IDS], IDS != 0
    forward, backward = split(w["bi"])
    merged = direction("GRU", x, forward, mask, True, False, True) + direction("GRU", x, backward, mask, True, True, True)
    assert_close(model(IDS), recurrent.reference_rnn("LSTM", merged, w["rnn"], mask))


def test_initial_weights_forward_then_backward_each_drawn_as_its_layer_draws():
    graph = graphspec.check(graphspec.loads("""graphspec: 1
layers:
  - {type: Bidirectional, name: bi, input_shape: [5, 3], layer: {type: LSTM, units: 2, return_sequences: true}}
  - {type: TimeDistributed, name: td, layer: {type: Dense, units: 2}}
"""))
    weights = graphspec.compile(graph, seed=3).get_weights()
    assert list(weights["bi"]) == ["forward_kernel", "forward_recurrent_kernel", "forward_bias",
                                   "backward_kernel", "backward_recurrent_kernel", "backward_bias"]
    for prefix in ("forward_", "backward_"):  # unit_forget_bias: the forget gate's bias starts at one
        np.testing.assert_array_equal(weights["bi"][prefix + "bias"], [0, 0, 1, 1, 0, 0, 0, 0])
    assert not np.allclose(weights["bi"]["forward_kernel"], weights["bi"]["backward_kernel"])
    assert list(weights["td"]) == ["kernel", "bias"]
