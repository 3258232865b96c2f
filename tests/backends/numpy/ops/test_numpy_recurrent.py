"""SimpleRNN, LSTM and GRU against float64 references that loop over batch and time, in Keras' gate order."""
import math

import numpy as np
import pytest

from graphspec_backends.numpy.ops.recurrent import gru, lstm, simple_rnn

FEATURES, UNITS, STEPS = 4, 3, 6


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def run_reference(x, mask, return_sequences, cell, state_count):
    """cell(x_t, states) -> states (the first is the output); masked steps keep every state."""
    x = x.astype(np.float64)
    results = []
    for b in range(x.shape[0]):
        states = [np.zeros(UNITS) for _ in range(state_count)]
        outputs = []
        for t in range(x.shape[1]):
            if mask is None or mask[b, t]:
                states = cell(x[b, t], states)
            outputs.append(states[0])
        results.append(np.stack(outputs) if return_sequences else outputs[-1])
    return np.stack(results)


def simple_rnn_cell(kernel, recurrent_kernel, bias, activation):
    def cell(x_t, states):
        return [activation(x_t @ kernel + states[0] @ recurrent_kernel + bias)]
    return cell


def lstm_cell(kernel, recurrent_kernel, bias):
    def cell(x_t, states):
        h, c = states
        z = x_t @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = (z[k * UNITS:(k + 1) * UNITS] for k in range(4))  # Keras order i, f, c, o
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        return [sigmoid(o) * np.tanh(c), c]
    return cell


def gru_cell(kernel, recurrent_kernel, bias):
    def cell(x_t, states):
        (h,) = states
        x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3)  # Keras order z, r, h
        h_z, h_r, h_h = np.split(h @ recurrent_kernel + bias[1], 3)
        z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
        candidate = np.tanh(x_h + r * h_h)
        return [z * h + (1 - z) * candidate]
    return cell


def _weights(gates, bias_shape, seed=0):
    rng = np.random.default_rng(seed)
    kernel = rng.uniform(-0.6, 0.6, (FEATURES, gates * UNITS)).astype(np.float32)
    recurrent = rng.uniform(-0.6, 0.6, (UNITS, gates * UNITS)).astype(np.float32)
    bias = rng.uniform(-0.5, 0.5, bias_shape).astype(np.float32)
    return kernel, recurrent, bias


def _inputs(batch, masked, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, STEPS, FEATURES)).astype(np.float32)
    if not masked:
        return x, None
    mask = rng.uniform(size=(batch, STEPS)) > 0.4
    mask[0, :2] = False  # leading masked steps: their output is the initial zero state
    mask[-1, -1] = False  # a masked last step: the last output is the previous one
    return x, mask


CASES = [(batch, masked, sequences) for batch in (1, 3) for masked in (False, True) for sequences in (False, True)]


@pytest.mark.parametrize("batch, masked, return_sequences", CASES)
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_simple_rnn(batch, masked, return_sequences, activation):
    x, mask = _inputs(batch, masked)
    kernel, recurrent, bias = _weights(1, (UNITS,))
    numpy_activation = np.tanh if activation == "tanh" else (lambda v: np.maximum(v, 0))
    expected = run_reference(x, mask, return_sequences, simple_rnn_cell(kernel, recurrent, bias, numpy_activation), 1)
    got = simple_rnn(x, kernel, recurrent, bias, activation, return_sequences, mask)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("batch, masked, return_sequences", CASES)
def test_lstm(batch, masked, return_sequences):
    x, mask = _inputs(batch, masked)
    kernel, recurrent, bias = _weights(4, (4 * UNITS,))
    expected = run_reference(x, mask, return_sequences, lstm_cell(kernel, recurrent, bias), 2)
    got = lstm(x, kernel, recurrent, bias, return_sequences=return_sequences, mask=mask)
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("batch, masked, return_sequences", CASES)
def test_gru(batch, masked, return_sequences):
    x, mask = _inputs(batch, masked)
    kernel, recurrent, bias = _weights(3, (2, 3 * UNITS))
    expected = run_reference(x, mask, return_sequences, gru_cell(kernel, recurrent, bias), 1)
    got = gru(x, kernel, recurrent, bias, return_sequences=return_sequences, mask=mask)
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_without_bias():
    x, _ = _inputs(2, False)
    kernel, recurrent, _ = _weights(3, (1,))
    expected = run_reference(x, None, True, gru_cell(kernel, recurrent, np.zeros((2, 3 * UNITS))), 1)
    np.testing.assert_allclose(gru(x, kernel, recurrent, None, return_sequences=True), expected, rtol=1e-5, atol=1e-6)
    kernel, recurrent, _ = _weights(4, (1,))
    expected = run_reference(x, None, False, lstm_cell(kernel, recurrent, np.zeros(4 * UNITS)), 2)
    np.testing.assert_allclose(lstm(x, kernel, recurrent, None), expected, rtol=1e-5, atol=1e-6)


def test_shapes_are_checked():
    kernel, recurrent, bias = _weights(1, (UNITS,))
    with pytest.raises(ValueError, match="batch, timesteps, features"):
        simple_rnn(np.zeros((2, FEATURES), np.float32), kernel, recurrent, bias)
    with pytest.raises(ValueError, match="mask must be"):
        simple_rnn(np.zeros((2, STEPS, FEATURES), np.float32), kernel, recurrent, bias, mask=np.ones((2, 3), bool))


def test_long_sequence_stays_bounded():
    """A sanity check of the recurrence itself: tanh outputs stay in [-1, 1] over many steps."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 200, FEATURES)).astype(np.float32)
    kernel, recurrent, bias = _weights(4, (4 * UNITS,))
    out = lstm(x, kernel, recurrent, bias, return_sequences=True)
    assert out.shape == (2, 200, UNITS) and np.all(np.abs(out) <= 1) and not math.isnan(float(out.sum()))
