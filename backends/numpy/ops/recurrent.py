"""SimpleRNN, LSTM and GRU forward with Keras 3 weight layouts and gate orders.

The input projection of every time step is one matmul before the loop; the loop over time
steps, which the recurrence makes sequential, is the only Python loop.
"""
from __future__ import annotations

import numpy as np

from .activations import ACTIVATION_FUNCTIONS, OVER_LAST_AXIS


def simple_rnn(x, kernel, recurrent_kernel, bias, activation="tanh", return_sequences=False, mask=None,
               initial_state=None, return_state=False):
    """keras.layers.SimpleRNN: h = activation(x_t @ kernel + h @ recurrent_kernel + bias).

    x (B, T, features); kernel (features, units); recurrent_kernel (units, units); bias (units,)
    or None; mask (B, T) bool or None. Returns (B, T, units) or the last output (B, units).
    """
    x, kernel, recurrent_kernel = _floats(x, kernel, recurrent_kernel)
    act = ACTIVATION_FUNCTIONS[activation]

    def step(projected, states):
        (h,) = states
        z = projected + h @ recurrent_kernel
        return (act(z, out=z),)

    return _scan(_project(x, kernel, bias), step, kernel.shape[1], 1, return_sequences, mask, initial_state, return_state)


def lstm(x, kernel, recurrent_kernel, bias, activation="tanh", recurrent_activation="sigmoid",
         return_sequences=False, mask=None, initial_state=None, return_state=False):
    """keras.layers.LSTM, gates i, f, c, o: kernel (features, 4u), recurrent_kernel (u, 4u), bias (4u,)."""
    x, kernel, recurrent_kernel = _floats(x, kernel, recurrent_kernel)
    units = recurrent_kernel.shape[0]
    # Reorder the gates to i, f, o, c once, so the three recurrent-activation gates are one slice.
    order = np.r_[0:2 * units, 3 * units:4 * units, 2 * units:3 * units]
    kernel, recurrent_kernel = kernel[:, order], recurrent_kernel[:, order]
    bias = None if bias is None else np.asarray(bias)[order]
    act, gate_act = ACTIVATION_FUNCTIONS[activation], _gate_activation(recurrent_activation, units)

    def step(projected, states):
        h, c = states
        z = projected + h @ recurrent_kernel
        gates = gate_act(z[:, : 3 * units])
        candidate = act(z[:, 3 * units:])
        c = gates[:, units: 2 * units] * c + gates[:, :units] * candidate
        return gates[:, 2 * units:] * act(c), c

    return _scan(_project(x, kernel, bias), step, units, 2, return_sequences, mask, initial_state, return_state)


def gru(x, kernel, recurrent_kernel, bias, activation="tanh", recurrent_activation="sigmoid",
        return_sequences=False, mask=None, initial_state=None, return_state=False):
    """keras.layers.GRU with reset_after=True (the Keras 3 default), gates z, r, h.

    kernel (features, 3u); recurrent_kernel (u, 3u); bias (2, 3u): row 0 input bias, row 1
    recurrent bias, or None. h = z * h_prev + (1 - z) * activation(x_h + r * (h_prev @ U_h + b_rh)).
    """
    x, kernel, recurrent_kernel = _floats(x, kernel, recurrent_kernel)
    units = recurrent_kernel.shape[0]
    bias = np.zeros((2, 3 * units), x.dtype) if bias is None else np.asarray(bias, x.dtype).reshape(2, 3 * units)
    act, gate_act = ACTIVATION_FUNCTIONS[activation], _gate_activation(recurrent_activation, units)
    recurrent_bias = bias[1]

    def step(projected, states):
        (h,) = states
        recurrent = h @ recurrent_kernel + recurrent_bias
        gates = gate_act(projected[:, : 2 * units] + recurrent[:, : 2 * units])
        update, reset = gates[:, :units], gates[:, units:]
        candidate = act(projected[:, 2 * units:] + reset * recurrent[:, 2 * units:])
        # z * h + (1 - z) * candidate, written as candidate + z * (h - candidate).
        return (candidate + update * (h - candidate),)

    return _scan(_project(x, kernel, bias[0]), step, units, 1, return_sequences, mask, initial_state, return_state)


def gru_reset_before(x, kernel, recurrent_kernel, bias, activation="tanh", recurrent_activation="sigmoid",
                     return_sequences=False, mask=None, initial_state=None, return_state=False):
    """keras.layers.GRU with reset_after=False (the original GRU): the reset gate applies before the
    recurrent product, h~ = activation(x_h + (r * h_prev) @ U_h); bias (3u,) or None."""
    x, kernel, recurrent_kernel = _floats(x, kernel, recurrent_kernel)
    units = recurrent_kernel.shape[0]
    act, gate_act = ACTIVATION_FUNCTIONS[activation], _gate_activation(recurrent_activation, units)
    gate_kernel, candidate_kernel = recurrent_kernel[:, : 2 * units], recurrent_kernel[:, 2 * units:]

    def step(projected, states):
        (h,) = states
        gates = gate_act(projected[:, : 2 * units] + h @ gate_kernel)
        update, reset = gates[:, :units], gates[:, units:]
        candidate = act(projected[:, 2 * units:] + (reset * h) @ candidate_kernel)
        return (candidate + update * (h - candidate),)

    return _scan(_project(x, kernel, bias), step, units, 1, return_sequences, mask, initial_state, return_state)


def _gate_activation(name, units):
    """The recurrent activation over gates side by side, (B, k * units), as Keras applies it: to each gate.
    One call over all gates gives the same for elementwise activations, and is faster."""
    act = ACTIVATION_FUNCTIONS[name]
    if name not in OVER_LAST_AXIS:
        return act
    return lambda z: np.concatenate([act(z[:, i:i + units]) for i in range(0, z.shape[1], units)], axis=1)


def _floats(x, kernel, recurrent_kernel):
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    if x.ndim != 3:
        raise ValueError(f"recurrent layers expect x (batch, timesteps, features), got shape {x.shape}")
    return x.astype(dtype, copy=False), np.asarray(kernel, dtype), np.asarray(recurrent_kernel, dtype)


def _project(x, kernel, bias):
    """x @ kernel + bias for all time steps at once, (B, T, gates)."""
    projected = (x.reshape(-1, x.shape[-1]) @ kernel).reshape(*x.shape[:2], kernel.shape[1])
    if bias is not None:
        projected += np.asarray(bias, x.dtype)
    return projected


def _scan(projected, step, units, state_count, return_sequences, mask, initial_state=None, return_state=False):
    """Run `step` over time; states start at `initial_state` (zeros by default) and the first state is the output.

    At a masked step every state is carried over unchanged, so the output repeats the previous
    one (zero before any unmasked step), as Keras does. With return_state: (output, *last states).
    """
    batch, steps = projected.shape[:2]
    states = _initial_states(initial_state, batch, units, state_count, projected.dtype)
    outputs = np.zeros((batch, steps, units), projected.dtype) if return_sequences else None
    mask = None if mask is None else np.asarray(mask, bool)
    if mask is not None and mask.shape != (batch, steps):
        raise ValueError(f"mask must be (batch, timesteps) = {(batch, steps)}, got {mask.shape}")
    for t in range(steps):
        new = step(projected[:, t], states)
        if mask is not None:
            keep = mask[:, t, None]
            new = tuple(np.where(keep, n, s) for n, s in zip(new, states))
        states = new
        if outputs is not None:
            outputs[:, t] = states[0]
    output = outputs if return_sequences else states[0]
    return (output, *states) if return_state else output


def _initial_states(given, batch, units, count, dtype) -> tuple:
    if given is None:
        return tuple(np.zeros((batch, units), dtype) for _ in range(count))
    if len(given) != count or any(np.shape(state) != (batch, units) for state in given):
        shapes = ", ".join(str(np.shape(state)) for state in given)
        raise ValueError(f"initial_state must be {count} array(s) of (batch, units) = {(batch, units)}, got {shapes}")
    return tuple(np.asarray(state, dtype) for state in given)
