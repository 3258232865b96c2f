"""SimpleRNN, LSTM and GRU through the public path against step-by-step loop references in Keras 3's layouts:
gates i, f, c, o (LSTM) and z, r, h (GRU, reset_after True and False), return_sequences, masks (a masked step
carries the state, and its output repeats the previous one), batch 1 and > 1, variable length."""
import math

import numpy as np
import pytest
from support import assert_close, build

FUNCTIONS = {"tanh": math.tanh, "sigmoid": lambda v: 1 / (1 + math.exp(-v)), "relu": lambda v: max(v, 0.0),
             "hard_sigmoid": lambda v: min(max(v / 6 + 0.5, 0.0), 1.0), "linear": lambda v: v}
UNITS, FEATURES = 3, 2


def softmax(values):
    exps = [math.exp(v - max(values)) for v in values]
    return [e / sum(exps) for e in exps]


def gate_function(name):
    """The recurrent activation on one gate's values: Keras applies it gate by gate, which matters for softmax."""
    if name == "softmax":
        return softmax
    if name == "log_softmax":
        return lambda values: [math.log(p) for p in softmax(values)]
    return lambda values: [FUNCTIONS[name](v) for v in values]


def project(vector, matrix, gate, units):
    """sum_i vector[i] * matrix[i, gate * units + j] for each unit j: one gate's columns."""
    return [sum(vector[i] * matrix[i, gate * units + j] for i in range(len(vector))) for j in range(units)]


def simple_rnn_step(x, h, c, w, act, gate_act, reset_after):
    b = w.get("bias", np.zeros(UNITS))
    xs, hs = project(x, w["kernel"], 0, UNITS), project(h, w["recurrent_kernel"], 0, UNITS)
    return [act(xs[j] + hs[j] + b[j]) for j in range(UNITS)], c


def lstm_step(x, h, c, w, act, gate_act, reset_after):
    b = w.get("bias", np.zeros(4 * UNITS))
    pre = [[xv + hv + b[g * UNITS + j] for j, (xv, hv) in
            enumerate(zip(project(x, w["kernel"], g, UNITS), project(h, w["recurrent_kernel"], g, UNITS)))]
           for g in range(4)]
    i, f = gate_act(pre[0]), gate_act(pre[1])
    candidate, o = [act(v) for v in pre[2]], gate_act(pre[3])
    c = [f[j] * c[j] + i[j] * candidate[j] for j in range(UNITS)]
    return [o[j] * act(c[j]) for j in range(UNITS)], c


def gru_step(x, h, c, w, act, gate_act, reset_after):
    if reset_after:
        bias = w.get("bias", np.zeros((2, 3 * UNITS)))
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = w.get("bias", np.zeros(3 * UNITS)), np.zeros(3 * UNITS)
    xp = [[v + input_bias[g * UNITS + j] for j, v in enumerate(project(x, w["kernel"], g, UNITS))] for g in range(3)]
    hp = [[v + recurrent_bias[g * UNITS + j] for j, v in enumerate(project(h, w["recurrent_kernel"], g, UNITS))]
          for g in range(3)]
    z = gate_act([xp[0][j] + hp[0][j] for j in range(UNITS)])
    r = gate_act([xp[1][j] + hp[1][j] for j in range(UNITS)])
    if reset_after:  # r × (h @ U_h + b_h)
        candidate = [act(xp[2][j] + r[j] * hp[2][j]) for j in range(UNITS)]
    else:  # (r × h) @ U_h
        reset_h = project([r[j] * h[j] for j in range(UNITS)], w["recurrent_kernel"], 2, UNITS)
        candidate = [act(xp[2][j] + reset_h[j]) for j in range(UNITS)]
    return [z[j] * h[j] + (1 - z[j]) * candidate[j] for j in range(UNITS)], c


STEPS = {"SimpleRNN": simple_rnn_step, "LSTM": lstm_step, "GRU": gru_step}


def reference_rnn(kind, x, w, mask=None, return_sequences=False, activation="tanh", recurrent_activation="sigmoid",
                  reset_after=True, initial=None, states=None):
    """`initial`: (h0, c0) per sample; `states`, a list, receives each sample's last (h, c)."""
    batch, steps, _ = x.shape
    act, gate_act = FUNCTIONS[activation], gate_function(recurrent_activation)
    outputs = np.zeros((batch, steps, UNITS))
    for b in range(batch):
        h, c = ([float(v) for v in initial[0][b]], [float(v) for v in initial[1][b]]) if initial else \
            ([0.0] * UNITS, [0.0] * UNITS)
        for t in range(steps):
            if mask is None or mask[b, t]:
                h, c = STEPS[kind]([float(v) for v in x[b, t]], h, c, w, act, gate_act, reset_after)
            outputs[b, t] = h
        if states is not None:
            states.append((h, c))
    return outputs if return_sequences else outputs[:, -1]


CELLS = [("SimpleRNN", {}), ("LSTM", {}), ("GRU", {"reset_after": True}), ("GRU", {"reset_after": False})]
CELL_IDS = ["SimpleRNN", "LSTM", "GRU-reset_after", "GRU-reset_before"]


@pytest.mark.parametrize("kind, fields", CELLS, ids=CELL_IDS)
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("batch", [1, 3])
def test_matches_reference(kind, fields, return_sequences, batch):
    layer = {"type": kind, "name": "rnn", "units": UNITS, "return_sequences": return_sequences, **fields}
    model, w = build([layer], {"x": {"shape": [5, FEATURES]}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, 5, FEATURES)).astype(np.float32)
    expected = reference_rnn(kind, x, w["rnn"], None, return_sequences, reset_after=fields.get("reset_after", True))
    assert_close(model(x), expected)


@pytest.mark.parametrize("kind, fields", CELLS, ids=CELL_IDS)
def test_other_activations_and_no_bias(kind, fields):
    extra = {} if kind == "SimpleRNN" else {"recurrent_activation": "hard_sigmoid"}
    layer = {"type": kind, "name": "rnn", "units": UNITS, "activation": "relu", "use_bias": False, **fields, **extra}
    model, w = build([layer], {"x": {"shape": [4, FEATURES]}})
    assert "bias" not in w["rnn"]
    x = np.random.default_rng(7).uniform(-1, 1, (2, 4, FEATURES)).astype(np.float32)
    expected = reference_rnn(kind, x, w["rnn"], activation="relu", recurrent_activation=extra.get(
        "recurrent_activation", "sigmoid"), reset_after=fields.get("reset_after", True))
    assert_close(model(x), expected)


@pytest.mark.parametrize("kind, fields", CELLS[1:], ids=CELL_IDS[1:])
@pytest.mark.parametrize("gates", ["softmax", "log_softmax"])
def test_a_recurrent_softmax_normalises_each_gate(kind, fields, gates):
    layer = {"type": kind, "name": "rnn", "units": UNITS, "recurrent_activation": gates, "return_sequences": True,
             **fields}
    model, w = build([layer], {"x": {"shape": [4, FEATURES]}})
    x = np.random.default_rng(3).uniform(-1, 1, (2, 4, FEATURES)).astype(np.float32)
    expected = reference_rnn(kind, x, w["rnn"], return_sequences=True, recurrent_activation=gates,
                             reset_after=fields.get("reset_after", True))
    assert_close(model(x), expected)


# Padding (id 0) at the end, in the middle, at the start, and a sequence with every step masked.
IDS = np.array([[3, 1, 4, 0, 0], [2, 0, 5, 0, 1], [0, 0, 6, 2, 3], [0, 0, 0, 0, 0]], np.int32)


@pytest.mark.parametrize("kind, fields", CELLS, ids=CELL_IDS)
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("rows", [slice(0, 1), slice(0, 4)], ids=["batch1", "batch4"])
def test_masked_steps_carry_the_state(kind, fields, return_sequences, rows):
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": FEATURES, "mask_zero": True},
              {"type": kind, "name": "rnn", "units": UNITS, "return_sequences": return_sequences, **fields}]
    model, w = build(layers, {"ids": {"shape": [5], "dtype": "int32"}})
    ids = IDS[rows]
    x = w["emb"]["embeddings"][ids]
    expected = reference_rnn(kind, x, w["rnn"], ids != 0, return_sequences, reset_after=fields.get("reset_after", True))
    out = model(ids)
    assert_close(out, expected)
    if return_sequences:  # a masked step repeats the previous output; zero before the first kept step
        np.testing.assert_array_equal(out[0, 3], out[0, 2])
        if out.shape[0] > 2:
            np.testing.assert_array_equal(out[2, :2], 0)


def test_stacked_layers_pass_the_mask_on_with_return_sequences():
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": FEATURES, "mask_zero": True},
              {"type": "LSTM", "name": "first", "units": UNITS, "return_sequences": True},
              {"type": "GRU", "name": "second", "units": UNITS}]
    model, w = build(layers, {"ids": {"shape": [None], "dtype": "int32"}})
    mask = IDS != 0
    first = reference_rnn("LSTM", w["emb"]["embeddings"][IDS], w["first"], mask, True)
    assert_close(model(IDS), reference_rnn("GRU", first, w["second"], mask))


@pytest.mark.parametrize("kind, fields", CELLS, ids=CELL_IDS)
def test_variable_length(kind, fields):
    layer = {"type": kind, "name": "rnn", "units": UNITS, "return_sequences": True, **fields}
    model, w = build([layer], {"x": {"shape": [None, FEATURES]}})
    assert model.graph.output_types["rnn"].shape == (None, None, UNITS)
    for steps in (1, 3, 6):
        x = np.random.default_rng(steps).uniform(-1, 1, (2, steps, FEATURES)).astype(np.float32)
        assert_close(model(x), reference_rnn(kind, x, w["rnn"], None, True, reset_after=fields.get("reset_after", True)))


def reverse_reference(kind, x, w, mask=None, return_sequences=False, reset_after=True):
    """Keras's go_backwards: the steps and the mask read last to first; the outputs stay in reading order."""
    return reference_rnn(kind, x[:, ::-1], w, None if mask is None else mask[:, ::-1], return_sequences,
                         reset_after=reset_after)


@pytest.mark.parametrize("kind, fields", CELLS, ids=CELL_IDS)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_go_backwards_reads_last_to_first(kind, fields, return_sequences):
    layer = {"type": kind, "name": "rnn", "units": UNITS, "return_sequences": return_sequences, "go_backwards": True,
             "unroll": True, "dropout": 0.5, "recurrent_dropout": 0.5, **fields}
    model, w = build([layer], {"x": {"shape": [5, FEATURES]}})
    x = np.random.default_rng(11).uniform(-1, 1, (3, 5, FEATURES)).astype(np.float32)
    reset_after = fields.get("reset_after", True)
    out = model(x)
    assert_close(out, reverse_reference(kind, x, w["rnn"], None, return_sequences, reset_after))
    if return_sequences:  # the outputs stay in reading order: the first is the last step's, read first
        assert_close(out[:, 0], reference_rnn(kind, x[:, -1:], w["rnn"], reset_after=reset_after))


@pytest.mark.parametrize("kind, fields", CELLS, ids=CELL_IDS)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_go_backwards_reverses_the_mask(kind, fields, return_sequences):
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": FEATURES, "mask_zero": True},
              {"type": kind, "name": "rnn", "units": UNITS, "return_sequences": return_sequences, "go_backwards": True,
               **fields}]
    model, w = build(layers, {"ids": {"shape": [5], "dtype": "int32"}})
    x = w["emb"]["embeddings"][IDS]
    out = model(IDS)
    assert_close(out, reverse_reference(kind, x, w["rnn"], IDS != 0, return_sequences, fields.get("reset_after", True)))
    if return_sequences:  # sample 0 is padded at the end, which is read first: zero outputs until step 2
        np.testing.assert_array_equal(out[0, :2], 0)
        np.testing.assert_array_equal(out[3], 0)


def test_a_backwards_layer_passes_the_input_mask_on_unreversed():
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": FEATURES, "mask_zero": True},
              {"type": "LSTM", "name": "first", "units": UNITS, "return_sequences": True, "go_backwards": True},
              {"type": "GRU", "name": "second", "units": UNITS}]
    model, w = build(layers, {"ids": {"shape": [None], "dtype": "int32"}})
    mask = IDS != 0
    first = reverse_reference("LSTM", w["emb"]["embeddings"][IDS], w["first"], mask, True)
    assert_close(model(IDS), reference_rnn("GRU", first, w["second"], mask))


@pytest.mark.parametrize("kind, fields", CELLS, ids=CELL_IDS)
@pytest.mark.parametrize("go_backwards", [False, True])
def test_initial_state_and_return_state(kind, fields, go_backwards):
    """The seq2seq hand-over: states read from inputs, last states returned after the output, masks honoured."""
    state_names = ["state_h", "state_c"] if kind == "LSTM" else ["state_h"]
    inputs = {"x": {"shape": [5, FEATURES]}, **{name: {"shape": [UNITS]} for name in state_names}}
    layer = {"type": kind, "name": "rnn", "inputs": "x", "units": UNITS, "return_sequences": True,
             "return_state": True, "initial_state": state_names, "go_backwards": go_backwards, **fields}
    model, w = build([layer], inputs, outputs=["rnn", *(f"rnn:{name}" for name in state_names)])
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (2, 5, FEATURES)).astype(np.float32)
    given = {name: rng.uniform(-1, 1, (2, UNITS)).astype(np.float32) for name in state_names}
    zeros = np.zeros((2, UNITS), np.float32)
    initial = (given["state_h"], given.get("state_c", zeros))
    last = []
    expected = reference_rnn(kind, x[:, ::-1] if go_backwards else x, w["rnn"], None, True,
                             reset_after=fields.get("reset_after", True), initial=initial, states=last)
    got = model({"x": x, **given})
    assert_close(got["rnn"], expected)
    assert_close(got["rnn:state_h"], np.array([h for h, _ in last]))
    if kind == "LSTM":
        assert_close(got["rnn:state_c"], np.array([c for _, c in last]))
