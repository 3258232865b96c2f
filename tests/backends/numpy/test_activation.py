"""The Activation layer for every name a spec may use, against the plain Keras 3 formulas (keras.activations)."""
import itertools
import math

import numpy as np
import pytest
from references import ELEMENTWISE, ROWWISE, relu_layer, softmax_row
from support import assert_close, build

import graphspec
from graphspec.activations import ACTIVATIONS, HALVES_LAST_AXIS


def reference(name, x):
    rows = []
    for index in itertools.product(*map(range, x.shape[:-1])):
        row = [float(v) for v in x[index]]
        rows.append(ROWWISE[name](row) if name in ROWWISE else [ELEMENTWISE[name](v) for v in row])
    return np.array(rows).reshape(*x.shape[:-1], -1)


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


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n not in HALVES_LAST_AXIS])
def test_dense_activation_field_equals_an_activation_layer(name):
    """`activation:` on Dense applies the same function as a Dense then an Activation layer."""
    fused, w = build([{"type": "Dense", "name": "d", "units": 4, "activation": name}], {"x": {"shape": [5]}})
    split, _ = build([{"type": "Dense", "name": "d", "units": 4}, {"type": "Activation", "activation": name}],
                     {"x": {"shape": [5]}})
    x = np.random.default_rng(0).uniform(-2, 2, (3, 5)).astype(np.float32)
    pre = x.astype(np.float64) @ w["d"]["kernel"] + w["d"]["bias"]
    assert_close(fused(x), reference(name, pre))
    assert_close(split(x), reference(name, pre))


# --- the activation layers with arguments, against the scalar Keras 3 formulas in tests/references.py ---------

def run_layer(layer, x, weights=None):
    model, _ = build([{"name": "act", **layer}], {"x": {"shape": list(x.shape[1:])}})
    if weights is not None:
        model.set_weights({"act": weights})
    before = x.copy()
    out = model(x)
    np.testing.assert_array_equal(x, before)
    return out


@pytest.mark.parametrize("fields", [{}, {"max_value": 6.0}, {"max_value": 2.5}, {"negative_slope": 0.1},
                                    {"threshold": 0.5}, {"max_value": 1.0, "threshold": 2.0},
                                    {"negative_slope": 0.2, "max_value": 3.0}, {"negative_slope": 0.2, "threshold": 1.0},
                                    {"negative_slope": 0.3, "max_value": 4.0, "threshold": 0.5}])
def test_relu_layer(fields):
    x = inputs(3)
    expected = np.vectorize(lambda v: relu_layer(float(v), **fields))(x.astype(np.float64))
    assert_close(run_layer({"type": "ReLU", **fields}, x), expected)


@pytest.mark.parametrize("fields, slope", [({}, 0.3), ({"negative_slope": 0.05}, 0.05), ({"alpha": 0.1}, 0.1),
                                           ({"negative_slope": 1.5}, 1.5)])
def test_leaky_relu_layer(fields, slope):
    x = inputs(3)
    assert_close(run_layer({"type": "LeakyReLU", **fields}, x), np.where(x >= 0, x, slope * x.astype(np.float64)))


@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0])
def test_elu_layer(alpha):
    x = inputs(3)
    expected = np.vectorize(lambda v: v if v > 0 else alpha * math.expm1(v))(x.astype(np.float64))
    assert_close(run_layer({"type": "ELU", "alpha": alpha}, x), expected)


@pytest.mark.parametrize("shared_axes, alpha_shape", [(None, (3, 8)), ([1], (1, 8)), ([1, 2], (1, 1))])
def test_prelu_layer(shared_axes, alpha_shape):
    x = inputs(3)
    alpha = np.random.default_rng(1).uniform(-1, 1, alpha_shape).astype(np.float32)
    out = run_layer({"type": "PReLU", "shared_axes": shared_axes}, x, {"alpha": alpha})
    expected = np.zeros(x.shape)
    for b, t, f in itertools.product(*map(range, x.shape)):
        v, a = float(x[b, t, f]), float(alpha[min(t, alpha_shape[0] - 1), min(f, alpha_shape[1] - 1)])
        expected[b, t, f] = v if v > 0 else a * v
    assert_close(out, expected)


def softmax_over(x, axes):
    """Softmax over several axes by loops: each slice over the other axes normalised as one row."""
    x = x.astype(np.float64)
    out = np.zeros(x.shape)
    others = [a for a in range(x.ndim) if a not in axes]
    for index in itertools.product(*(range(x.shape[a]) for a in others)):
        cells = [c for c in itertools.product(*map(range, x.shape))
                 if all(c[a] == i for a, i in zip(others, index))]
        row = softmax_row([x[c] for c in cells])
        for c, v in zip(cells, row):
            out[c] = v
    return out


@pytest.mark.parametrize("axis, axes", [(-1, (2,)), (1, (1,)), ([1, 2], (1, 2)), ([-2], (1,))])
def test_softmax_layer(axis, axes):
    x = inputs(2)
    assert_close(run_layer({"type": "Softmax", "axis": axis}, x), softmax_over(x, axes))


def embedded_softmax(steps, features, layers):
    spec = [{"type": "Embedding", "name": "e", "input_dim": 9, "output_dim": features, "mask_zero": True},
            *layers, {"type": "Softmax", "name": "soft"}]
    return build(spec, {"x": {"shape": [steps], "dtype": "int32"}})


def test_softmax_with_a_mask_is_keras_large_negative_then_zero():
    """Keras 3's Softmax: masked positions become -1e9 before, 0 after; the mask lines up with the LAST axes as
    NumPy broadcasts, so an Embedding's (batch, 3) mask on (batch=3, 3, 3) masks [step, feature] by [sample, step]."""
    model, w = embedded_softmax(3, 3, [])
    ids = np.array([[1, 2, 0], [0, 3, 4], [5, 6, 7]], np.int32)
    table = w["e"]["embeddings"].astype(np.float64)
    mask = ids != 0
    expected = np.zeros((3, 3, 3))
    for b, t in itertools.product(range(3), range(3)):
        row = [table[ids[b, t], f] if mask[t, f] else -1e9 for f in range(3)]
        expected[b, t] = [v if mask[t, f] else 0.0 for f, v in enumerate(softmax_row(row))]
    assert_close(model(ids), expected)


def test_softmax_with_a_mask_keras_cannot_broadcast_is_a_run_error():
    model, _ = embedded_softmax(5, 4, [])
    with pytest.raises(graphspec.RunError) as info:
        model(np.ones((2, 5), np.int32))
    assert "layer 'soft' (Softmax): its input (2, 5, 4) comes with a mask of shape (2, 5)" in str(info.value)


def test_glu_layer_then_dense():
    model, w = build([{"type": "Dense", "name": "d", "units": 8}, {"type": "Activation", "activation": "glu"},
                      {"type": "Dense", "name": "out", "units": 2}], {"x": {"shape": [5]}})
    assert model.graph.output_types[model.output_names[0]].shape == (None, 2)
    x = np.random.default_rng(0).uniform(-1, 1, (3, 5)).astype(np.float32)
    pre = x.astype(np.float64) @ w["d"]["kernel"] + w["d"]["bias"]
    hidden = reference("glu", pre)
    assert_close(model(x), hidden @ w["out"]["kernel"] + w["out"]["bias"])
