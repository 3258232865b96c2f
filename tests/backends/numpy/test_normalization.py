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


def reference_group_norm(x, groups, axis, w, epsilon):
    """Per sample and group: the mean and (biased) variance of the group's channels at every position, by loops."""
    channels = x.shape[axis]
    size = channels // groups
    out = np.zeros(x.shape)
    for b in range(x.shape[0]):
        for g in range(groups):
            members = [i for i in itertools.product(*map(range, x.shape[1:]))
                       if g * size <= i[axis - 1] < (g + 1) * size]
            values = [float(x[(b, *i)]) for i in members]
            mean = sum(values) / len(values)
            variance = sum((v - mean) ** 2 for v in values) / len(values)
            for i, v in zip(members, values):
                c = i[axis - 1]
                y = (v - mean) / math.sqrt(variance + epsilon)
                out[(b, *i)] = y * (w["gamma"][c] if "gamma" in w else 1.0) + (w["beta"][c] if "beta" in w else 0.0)
    return out


@pytest.mark.parametrize("shape, groups, axis", [((5, 4), 2, -1), ((5, 4), -1, -1), ((5, 4), 1, -1),
                                                 ((6, 3, 2), 3, 1), ((3, 6, 4), 2, -2), ((2, 3, 4, 4), 4, -1)])
@pytest.mark.parametrize("center, scale", [(True, True), (False, True), (True, False)])
def test_group_normalization(shape, groups, axis, center, scale):
    layer = {"type": "GroupNormalization", "name": "gn", "groups": groups, "axis": axis, "center": center,
             "scale": scale, "epsilon": 0.01}
    model, w = build([layer], {"x": {"shape": list(shape)}})
    assert set(w.get("gn", {})) == ({"gamma"} if scale else set()) | ({"beta"} if center else set())
    x = np.random.default_rng(2).uniform(-2, 2, (2, *shape)).astype(np.float32)
    index = axis % (len(shape) + 1)
    assert_close(model(x), reference_group_norm(x, shape[index - 1] if groups == -1 else groups, index,
                                                w.get("gn", {}), 0.01))


def reference_unit_norm(x, axes):
    out = np.zeros(x.shape)
    kept = [i for i in range(x.ndim) if i not in axes]
    for outer in itertools.product(*(range(x.shape[i]) for i in kept)):
        members = []
        for inner in itertools.product(*(range(x.shape[i]) for i in axes)):
            index = [0] * x.ndim
            for i, v in [*zip(kept, outer), *zip(axes, inner)]:
                index[i] = v
            members.append(tuple(index))
        norm = math.sqrt(sum(float(x[i]) ** 2 for i in members))
        for i in members:
            out[i] = float(x[i]) * min(1 / norm if norm else math.inf, 1e12)
    return out


@pytest.mark.parametrize("shape, axis, axes", [((6,), -1, [1]), ((4, 5), -1, [2]), ((4, 5), 1, [1]),
                                               ((3, 4, 2), [1, 2], [1, 2]), ((3, 4, 2), [-1, 1], [1, 3])])
def test_unit_normalization(shape, axis, axes):
    model, _ = build([{"type": "UnitNormalization", "axis": axis}], {"x": {"shape": list(shape)}})
    x = np.random.default_rng(3).uniform(-2, 2, (2, *shape)).astype(np.float32)
    x[0, ..., 0] = 0  # zero vectors stay zero when the axis is the last
    assert_close(model(x), reference_unit_norm(x, axes))


def test_batch_normalization_axis_as_keras_2_saved_it():
    """axis [1] is axis 1: the channels of a channels_first image."""
    listed, w = build([{"type": "BatchNormalization", "name": "bn", "axis": [1]}], {"x": {"shape": [3, 4, 5]}})
    assert {k: v.shape for k, v in w["bn"].items()} == dict.fromkeys(["gamma", "beta", "moving_mean",
                                                                     "moving_variance"], (3,))
    x = np.random.default_rng(4).uniform(-2, 2, (2, 3, 4, 5)).astype(np.float32)
    assert_close(listed(x), reference_batch_norm(x, 1, w["bn"], 1e-3))
