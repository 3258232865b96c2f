"""The Activation layer for every name a spec may use, against the plain Keras 3 formulas (keras.activations)."""
import itertools
import math

import numpy as np
import pytest
from references import ELEMENTWISE
from support import assert_close, build

from graphspec.activations import ACTIVATIONS

def softmax_row(row):
    top = max(row)
    exps = [math.exp(v - top) for v in row]
    return [e / sum(exps) for e in exps]


def log_softmax_row(row):
    top = max(row)
    log_sum = top + math.log(sum(math.exp(v - top) for v in row))
    return [v - log_sum for v in row]


ROWWISE = {"softmax": softmax_row, "log_softmax": log_softmax_row}


def reference(name, x):
    out = np.zeros(x.shape)
    for index in itertools.product(*map(range, x.shape[:-1])):
        row = [float(v) for v in x[index]]
        out[index] = ROWWISE[name](row) if name in ROWWISE else [ELEMENTWISE[name](v) for v in row]
    return out


def inputs(batch):
    """Values over [-6, 6], with 0, ±1e-3 and a few far out, where naive formulas overflow."""
    x = np.random.default_rng(batch).uniform(-6, 6, (batch, 3, 8))
    x[0, 0, :6] = [0.0, 1e-3, -1e-3, 30.0, -30.0, -80.0]
    return x.astype(np.float32)


def test_every_activation_has_a_reference():
    assert set(ELEMENTWISE) | set(ROWWISE) == set(ACTIVATIONS)


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("batch", [1, 3])
def test_activation_layer(name, batch):
    model, _ = build([{"type": "Activation", "activation": name}], {"x": {"shape": [3, 8]}})
    x = inputs(batch)
    before = x.copy()
    out = model(x)
    assert_close(out, reference(name, x))
    np.testing.assert_array_equal(x, before)  # the input is never written to


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_dense_activation_field_equals_an_activation_layer(name):
    """`activation:` on Dense applies the same function as a Dense then an Activation layer."""
    fused, w = build([{"type": "Dense", "name": "d", "units": 4, "activation": name}], {"x": {"shape": [5]}})
    split, _ = build([{"type": "Dense", "name": "d", "units": 4}, {"type": "Activation", "activation": name}],
                     {"x": {"shape": [5]}})
    x = np.random.default_rng(0).uniform(-2, 2, (3, 5)).astype(np.float32)
    pre = x.astype(np.float64) @ w["d"]["kernel"] + w["d"]["bias"]
    assert_close(fused(x), reference(name, pre))
    assert_close(split(x), reference(name, pre))
