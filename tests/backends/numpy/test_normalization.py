"""BatchNormalization (inference: moving statistics) and LayerNormalization (per sample) through the public path
against loop references: axis -1 and another axis, a list of axes, center and scale off."""
import itertools
import math

import numpy as np
import pytest
from support import assert_close, build


def reference_batch_norm(x, axis, w, epsilon):
    """(x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta, per channel of `axis`."""
    out = np.zeros(x.shape)
    for index in itertools.product(*map(range, x.shape)):
        c = index[axis]
        value = (float(x[index]) - w["moving_mean"][c]) / math.sqrt(w["moving_variance"][c] + epsilon)
        out[index] = value * w["gamma"][c] if "gamma" in w else value
        out[index] += w["beta"][c] if "beta" in w else 0.0
    return out


@pytest.mark.parametrize("shape, axis", [((6,), -1), ((4, 5, 3), -1), ((3, 7), 1), ((3, 4, 5), 1), ((3, 4, 5), 2),
                                         ((3, 4, 5), -2)])
@pytest.mark.parametrize("center, scale", [(True, True), (False, True), (True, False), (False, False)])
@pytest.mark.parametrize("batch", [1, 3])
def test_batch_normalization(shape, axis, center, scale, batch):
    layer = {"type": "BatchNormalization", "name": "bn", "axis": axis, "center": center, "scale": scale,
             "epsilon": 0.01}
    model, w = build([layer], {"x": {"shape": list(shape)}})
    expected_weights = {"moving_mean", "moving_variance"} | ({"gamma"} if scale else set()) | ({"beta"} if center else set())
    assert set(w["bn"]) == expected_weights
    x = np.random.default_rng(batch).uniform(-2, 2, (batch, *shape)).astype(np.float32)
    assert_close(model(x), reference_batch_norm(x, axis % (len(shape) + 1), w["bn"], 0.01))


def reference_layer_norm(x, axes, w, epsilon):
    """Each sample over `axes`: mean and (biased) variance by loops; gamma and beta indexed by the axes' positions.
    Keras reshapes gamma and beta, whatever order they were declared in, to the axes in increasing order."""
    w = {k: a.reshape([x.shape[i] for i in axes]) for k, a in w.items()}
    out = np.zeros(x.shape)
    kept = [i for i in range(1, x.ndim) if i not in axes]
    for outer in itertools.product(range(x.shape[0]), *(range(x.shape[i]) for i in kept)):
        group = []
        for inner in itertools.product(*(range(x.shape[i]) for i in axes)):
            index = [0] * x.ndim
            for i, v in zip([0, *kept], outer):
                index[i] = v
            for i, v in zip(axes, inner):
                index[i] = v
            group.append((tuple(index), inner))
        values = [float(x[index]) for index, _ in group]
        mean = sum(values) / len(values)
        variance = sum((v - mean) ** 2 for v in values) / len(values)
        for (index, inner), v in zip(group, values):
            y = (v - mean) / math.sqrt(variance + epsilon)
            y = y * w["gamma"][inner] if "gamma" in w else y
            out[index] = y + (w["beta"][inner] if "beta" in w else 0.0)
    return out


@pytest.mark.parametrize("shape, axis", [((6,), -1), ((4, 5), -1), ((4, 5), 1), ((3, 4, 5), [1, 2]),
                                         ((3, 4, 5), [-2, -1]), ((3, 4, 5), [1, 3]), ((3, 4, 5), 2),
                                         ((3, 4, 5), [1, -2])],
                         ids=str)
@pytest.mark.parametrize("center, scale", [(True, True), (False, False), (True, False)])
@pytest.mark.parametrize("batch", [1, 2])
def test_layer_normalization(shape, axis, center, scale, batch):
    layer = {"type": "LayerNormalization", "name": "ln", "axis": axis, "center": center, "scale": scale}
    model, w = build([layer], {"x": {"shape": list(shape)}})
    rank = len(shape) + 1
    axes = sorted(a % rank for a in (axis if isinstance(axis, list) else [axis]))
    x = np.random.default_rng(batch).uniform(-2, 2, (batch, *shape)).astype(np.float32)
    assert_close(model(x), reference_layer_norm(x, axes, w.get("ln", {}), 1e-3))


def test_layer_normalization_of_a_constant_sample_is_beta():
    model, w = build([{"type": "LayerNormalization", "name": "ln"}], {"x": {"shape": [4]}})
    out = model(np.full((2, 4), 3.0, np.float32))
    assert_close(out, np.tile(w["ln"]["beta"], (2, 1)))
