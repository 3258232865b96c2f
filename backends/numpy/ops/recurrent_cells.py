"""SimpleRNN, LSTM and GRU cells for training: each step keeps what its backward needs, and the backward of a
step maps d new states to d projected input and d previous states, adding into the recurrent weights' gradients.

Keras 3's gate orders and weight layouts (ops/recurrent.py): LSTM i, f, c, o; GRU z, r, h. The gate activation is
applied gate by gate, as Keras applies it.
"""
from __future__ import annotations

import numpy as np

from .activation_gradients import activate_for_training


def _gates(z, units, name):
    """Each gate's activation over its `units` columns: the outputs side by side and one chain per gate."""
    parts = [activate_for_training(z[:, i:i + units], name) for i in range(0, z.shape[1], units)]
    return [y for y, _ in parts], [chain for _, chain in parts]


class Cell:
    """One step's recurrence: `grads` adds up d loss / d the recurrent weights over the steps' backward."""
    state_count = 1

    def __init__(self, recurrent_kernel, activation, recurrent_activation=None):
        self.u, self.activation, self.gate_activation = recurrent_kernel, activation, recurrent_activation
        self.units = recurrent_kernel.shape[0]
        self.grads = {"recurrent_kernel": np.zeros_like(recurrent_kernel)}


class SimpleRNNCell(Cell):

    def step(self, projected, states):
        (h,) = states
        y, chain = activate_for_training(projected + h @ self.u, self.activation)
        return (y,), (h, chain)

    def back(self, d_states, cache):
        h, chain = cache
        dz = chain(d_states[0])
        self.grads["recurrent_kernel"] += h.T @ dz
        return dz, (dz @ self.u.T,)


class LSTMCell(Cell):
    state_count = 2

    def step(self, projected, states):
        h, c = states
        z, n = projected + h @ self.u, self.units
        g, g_chain = activate_for_training(z[:, 2 * n:3 * n].copy(), self.activation)
        (i, f), if_chains = _gates(z[:, :2 * n], n, self.gate_activation)
        (o,), o_chains = _gates(z[:, 3 * n:], n, self.gate_activation)
        gate_chains = [*if_chains, None, *o_chains]
        c_new = f * c + i * g
        squashed, c_chain = activate_for_training(c_new.copy(), self.activation)
        return (o * squashed, c_new), (h, c, i, f, g, o, squashed, gate_chains, g_chain, c_chain)

    def back(self, d_states, cache):
        h, c, i, f, g, o, squashed, gate_chains, g_chain, c_chain = cache
        dh, dc = d_states
        dc = dc + c_chain(dh * o)
        dz = np.concatenate([gate_chains[0](dc * g), gate_chains[1](dc * c), g_chain(dc * i),
                             gate_chains[3](dh * squashed)], axis=1)
        self.grads["recurrent_kernel"] += h.T @ dz
        return dz, (dz @ self.u.T, dc * f)


class GRUCell(Cell):
    """reset_after (Keras 3's default): h~ = activation(x_h + r * (h @ U_h + b_rh)); the recurrent bias is row 1 of
    the bias, whose gradient this cell adds up."""

    def __init__(self, recurrent_kernel, activation, recurrent_activation, recurrent_bias):
        super().__init__(recurrent_kernel, activation, recurrent_activation)
        self.recurrent_bias = recurrent_bias
        self.grads["recurrent_bias"] = np.zeros_like(recurrent_bias)

    def step(self, projected, states):
        (h,), n = states, self.units
        recurrent = h @ self.u + self.recurrent_bias
        (update, reset), chains = _gates(projected[:, :2 * n] + recurrent[:, :2 * n], n, self.gate_activation)
        candidate, n_chain = activate_for_training(projected[:, 2 * n:] + reset * recurrent[:, 2 * n:],
                                                   self.activation)
        return (candidate + update * (h - candidate),), (h, recurrent, update, reset, candidate, chains, n_chain)

    def back(self, d_states, cache):
        h, recurrent, update, reset, candidate, chains, n_chain = cache
        (dh,), n = d_states, self.units
        dn = n_chain(dh * (1 - update))
        d_gates = [chains[0](dh * (h - candidate)), chains[1](dn * recurrent[:, 2 * n:])]
        d_recurrent = np.concatenate([*d_gates, dn * reset], axis=1)
        self.grads["recurrent_kernel"] += h.T @ d_recurrent
        self.grads["recurrent_bias"] += d_recurrent.sum(axis=0)
        return np.concatenate([*d_gates, dn], axis=1), (dh * update + d_recurrent @ self.u.T,)


class GRUResetBeforeCell(Cell):
    """reset_after=False: h~ = activation(x_h + (r * h) @ U_h)."""

    def step(self, projected, states):
        (h,), n = states, self.units
        (update, reset), chains = _gates(projected[:, :2 * n] + h @ self.u[:, :2 * n], n, self.gate_activation)
        candidate, n_chain = activate_for_training(projected[:, 2 * n:] + (reset * h) @ self.u[:, 2 * n:],
                                                   self.activation)
        return (candidate + update * (h - candidate),), (h, update, reset, candidate, chains, n_chain)

    def back(self, d_states, cache):
        h, update, reset, candidate, chains, n_chain = cache
        (dh,), n = d_states, self.units
        dn = n_chain(dh * (1 - update))
        d_reset_h = dn @ self.u[:, 2 * n:].T
        d_gates = np.concatenate([chains[0](dh * (h - candidate)), chains[1](d_reset_h * h)], axis=1)
        self.grads["recurrent_kernel"] += np.concatenate([h.T @ d_gates, (reset * h).T @ dn], axis=1)
        return np.concatenate([d_gates, dn], axis=1), (dh * update + d_reset_h * reset + d_gates @ self.u[:, :2 * n].T,)
