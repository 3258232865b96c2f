"""Training a recurrent layer: the scan over time keeping each step's cache, and backpropagation through time.

A masked step carries every state over, so its gradient passes straight to the previous step and its cell gets
none. Dropout as Keras 3's DropoutRNNCell: one input mask and one recurrent mask per sequence (the same at every
step), drawn in that order, scaled by 1 / (1 - rate); the recurrent mask multiplies the previous output where the
cell reads it.
"""
from __future__ import annotations

import numpy as np

from .recurrent import _initial_states, _project


def dropout_mask(rng, shape, rate, dtype):
    return None if not rate else ((rng.random(shape) >= rate) / (1 - rate)).astype(dtype)


def train_scan(x, kernel, bias, cell, return_sequences, mask, initial_state, return_state, keep_input=None,
               keep_recurrent=None):
    """The forward of ops/recurrent._scan with `cell`, and backward(d_result) -> (dx, d_initial_states, grads):
    grads has d kernel, d bias (the projection's, None without one) and the cell's recurrent gradients."""
    batch, steps, _ = x.shape
    dropped = x if keep_input is None else x * keep_input[:, None]
    projected = _project(dropped, kernel, bias)
    units = cell.u.shape[0]
    states = _initial_states(initial_state, batch, units, cell.state_count, projected.dtype)
    mask = None if mask is None else np.asarray(mask, bool)
    caches, outputs = [], np.zeros((batch, steps, units), x.dtype) if return_sequences else None
    for t in range(steps):
        read = states if keep_recurrent is None else (states[0] * keep_recurrent, *states[1:])
        new, cache = cell.step(projected[:, t], read)
        caches.append(cache)
        states = new if mask is None else tuple(np.where(mask[:, t, None], n, s) for n, s in zip(new, states))
        if outputs is not None:
            outputs[:, t] = states[0]
    output = outputs if return_sequences else states[0]

    def backward(d_result):
        several = return_state and isinstance(d_result, (tuple, list))  # the output's and each state's, or None
        d_output, *d_last = d_result if several else (d_result,)
        d_states = [np.zeros((batch, units), x.dtype) if d is None else d for d in
                    (d_last or [None] * cell.state_count)]
        if d_output is not None and not return_sequences:
            d_states[0] = d_states[0] + d_output
        d_projected = np.empty_like(projected)
        for t in reversed(range(steps)):
            if d_output is not None and return_sequences:
                d_states[0] = d_states[0] + d_output[:, t]
            keep = None if mask is None else mask[:, t, None]
            d_new = d_states if keep is None else [np.where(keep, d, 0) for d in d_states]
            d_projected[:, t], d_read = cell.back(d_new, caches[t])
            d_prev = list(d_read) if keep_recurrent is None else [d_read[0] * keep_recurrent, *d_read[1:]]
            d_states = d_prev if keep is None else [p + np.where(keep, 0, d) for p, d in zip(d_prev, d_states)]
        flat = d_projected.reshape(-1, d_projected.shape[-1])
        grads = {"kernel": dropped.reshape(-1, x.shape[-1]).T @ flat, "bias": flat.sum(axis=0), **cell.grads}
        dx = (flat @ kernel.T).reshape(x.shape)
        return (dx if keep_input is None else dx * keep_input[:, None]), d_states, grads
    return ((output, *states) if return_state else output), backward
