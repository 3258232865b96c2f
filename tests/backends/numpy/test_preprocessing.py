"""Rescaling, Normalization, CenterCrop, RandomCrop and the random augmentations at inference, through the public
path, against loop references: per-channel values, Keras's broadcasting of mean and variance, the central window,
and Keras's smart_resize (central crop of the target's aspect ratio, bilinear with half-pixel centres)."""
import itertools
import math

import numpy as np
import pytest
from support import assert_close, build, checked

import graphspec
from graphspec.diagnostics import RunError

from graphspec.layers import LAYERS
from graphspec.layers.augmentation import Augmentation


def image(shape, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).uniform(0, 255, (2, *shape)).astype(dtype)


@pytest.mark.parametrize("scale, offset", [(0.5, 0.0), (1 / 255, -0.5), ([1.0, 2.0, -3.0], [0.1, 0.0, -0.2]),
                                           ([2.0], 1.0)])
@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_rescaling(scale, offset, dtype):
    model, _ = build([{"type": "Rescaling", "scale": scale, "offset": offset}], {"x": {"shape": [2, 3], "dtype": dtype}})
    x = image((2, 3), dtype=dtype)
    per = lambda v, c: v[c if len(v) > 1 else 0] if isinstance(v, list) else v  # noqa: E731
    expected = np.zeros(x.shape)
    for index in itertools.product(*map(range, x.shape)):
        expected[index] = float(x[index]) * per(scale, index[-1]) + per(offset, index[-1])
    assert_close(model(x), expected)


@pytest.mark.parametrize("scale, offset", [([[[0.1]], [[0.2]], [[0.3]]], [[[1.0]], [[0.0]], [[-1.0]]]),
                                           ([[2.0], [3.0], [-1.0], [0.5]], 0.5), ([[[1.0, 2.0]]], [[[0.5]]])])
def test_rescaling_channels_first_arrays(scale, offset):
    """(None, 3, 4, 2) images with a scale of shape (3, 1, 1) (or broadcast otherwise): Keras's x · scale + offset."""
    model, _ = build([{"type": "Rescaling", "scale": scale, "offset": offset}], {"x": {"shape": [3, 4, 2]}})
    x = image((3, 4, 2))
    s, o = np.asarray(scale, np.float64), np.asarray(offset, np.float64)
    expected = np.zeros(x.shape)
    for index in itertools.product(*map(range, x.shape)):
        at = lambda v: tuple(0 if n == 1 else i for n, i in zip(v.shape, index[x.ndim - v.ndim:]))  # noqa: E731
        expected[index] = float(x[index]) * s[at(s)] + o[at(o)]
    assert_close(model(x), expected)


def test_rescaling_array_against_an_unknown_axis_is_checked_at_run():
    model, _ = build([{"type": "Rescaling", "scale": [[1.0], [2.0]]}], {"x": {"shape": [None, 3]}})
    assert model(np.ones((1, 2, 3), np.float32)).shape == (1, 2, 3)
    with pytest.raises(RunError, match=r"scale of shape \(2, 1\) does not broadcast to an input of shape \(1, 3\)"):
        model(np.ones((1, 1, 3), np.float32))


def reference_normalization(x, mean, variance, kept, invert):
    """mean and variance indexed by each element's position on the kept axes (the rightmost ones when the arrays
    have fewer axes; a size-1 axis broadcasts)."""
    mean, variance = np.asarray(mean, np.float64), np.asarray(variance, np.float64)
    axes = kept[len(kept) - mean.ndim:]
    out = np.zeros(x.shape)
    for index in itertools.product(*map(range, x.shape)):
        at = tuple(0 if size == 1 else index[a] for a, size in zip(axes, mean.shape))
        std = max(math.sqrt(variance[at]), 1e-7)
        out[index] = float(x[index]) * std + mean[at] if invert else (float(x[index]) - mean[at]) / std
    return out


@pytest.mark.parametrize("fields, kept", [
    ({"mean": 0.5, "variance": 4.0}, [2]),
    ({"mean": [1, 2, 3], "variance": [1, 2, 0.5]}, [2]),
    ({"mean": [[1, 2, 3]], "variance": [[1, 2, 0.5]], "axis": [1, 2]}, [1, 2]),
    ({"mean": [1, -1], "variance": [2, 3], "axis": 1}, [1]),
    ({"mean": -1.0, "variance": 0.25, "axis": None}, []),
    ({"mean": [0, 1, 2], "variance": [0, 1, 4]}, [2]),  # a zero variance divides by 1e-7, as in Keras
])
@pytest.mark.parametrize("invert", [False, True])
def test_normalization_with_constants(fields, kept, invert):
    model, w = build([{"type": "Normalization", "invert": invert, **fields}], {"x": {"shape": [2, 3]}})
    assert w == {}
    x = np.random.default_rng(1).normal(0, 2, (2, 2, 3)).astype(np.float32)
    assert_close(model(x), reference_normalization(x, fields["mean"], fields["variance"], kept, invert))


@pytest.mark.parametrize("axis, kept", [(-1, [3]), ([1, 3], [1, 3]), (2, [2])])
@pytest.mark.parametrize("invert", [False, True])
def test_normalization_with_weights(axis, kept, invert):
    model, _ = build([{"type": "Normalization", "name": "norm", "axis": axis, "invert": invert}],
                     {"x": {"shape": [2, 3, 4]}})
    shape = tuple([2, 3, 4][k - 1] for k in kept)
    rng = np.random.default_rng(2)
    mean, variance = rng.normal(0, 1, shape), rng.uniform(0.5, 2, shape)
    model.set_weights({"norm": {"mean": mean, "variance": variance, "count": np.array(100)}})
    x = rng.normal(0, 2, (2, 2, 3, 4)).astype(np.float32)
    assert_close(model(x), reference_normalization(x, mean, variance, kept, invert))


def test_normalization_starts_as_keras_before_adapt():
    model = graphspec.compile(checked([{"type": "Normalization", "name": "norm"}], {"x": {"shape": [3]}}), seed=0)
    start = {k: v.tolist() for k, v in model.get_weights()["norm"].items()}
    assert start == {"mean": [0, 0, 0], "variance": [1, 1, 1], "count": 0}


def test_normalization_refuses_a_negative_variance():
    model, _ = build([{"type": "Normalization", "name": "norm"}], {"x": {"shape": [2]}})
    with pytest.raises(RunError, match="norm/variance: position 1 holds -1"):
        model.set_weights({"norm": {"mean": np.zeros(2), "variance": np.array([1.0, -1.0]), "count": np.array(0)}})


def reference_crop(x, height, width):
    top, left = (x.shape[1] - height) // 2, (x.shape[2] - width) // 2
    out = np.zeros((x.shape[0], height, width, x.shape[3]))
    for b, i, j, c in itertools.product(*map(range, out.shape)):
        out[b, i, j, c] = x[b, top + i, left + j, c]
    return out


def bilinear(x, height, width):
    """Half-pixel centres, edges clamped, no antialiasing: out[i] samples the input at (i + 0.5) · in/out − 0.5."""
    out = np.zeros((x.shape[0], height, width, x.shape[3]))
    h, w = x.shape[1:3]
    for i, j in itertools.product(range(height), range(width)):
        sy, sx = (i + 0.5) * h / height - 0.5, (j + 0.5) * w / width - 0.5
        y0, x0 = math.floor(sy), math.floor(sx)
        fy, fx = sy - y0, sx - x0
        for dy, dx, weight in [(0, 0, (1 - fy) * (1 - fx)), (1, 0, fy * (1 - fx)), (0, 1, (1 - fy) * fx),
                               (1, 1, fy * fx)]:
            yy, xx = min(max(y0 + dy, 0), h - 1), min(max(x0 + dx, 0), w - 1)
            out[:, i, j] += weight * x[:, yy, xx]
    return out


def reference_smart_resize(x, height, width):
    h, w = x.shape[1:3]
    crop_h, crop_w = max(min(h, int(w * height / width)), 1), max(min(w, int(h * width / height)), 1)
    top, left = int((h - crop_h) / 2), int((w - crop_w) / 2)
    return bilinear(x[:, top:top + crop_h, left:left + crop_w].astype(np.float64), height, width)


@pytest.mark.parametrize("shape, height, width", [((6, 8, 3), 4, 6), ((6, 8, 3), 5, 5), ((6, 8, 3), 6, 8),
                                                  ((5, 5, 1), 2, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_center_crop(shape, height, width, dtype):
    model, _ = build([{"type": "CenterCrop", "height": height, "width": width}],
                     {"x": {"shape": list(shape), "dtype": np.dtype(dtype).name}})
    x = image(shape, dtype=dtype)
    assert_close(model(x), reference_crop(x, height, width))


@pytest.mark.parametrize("shape, height, width", [((4, 5, 3), 6, 6), ((4, 5, 2), 2, 7), ((3, 8, 1), 5, 4),
                                                  ((2, 2, 1), 7, 3)])
def test_center_crop_of_a_smaller_image_is_smart_resize(shape, height, width):
    model, _ = build([{"type": "CenterCrop", "height": height, "width": width}], {"x": {"shape": list(shape)}})
    x = image(shape)
    np.testing.assert_allclose(model(x), reference_smart_resize(x, height, width), rtol=1e-5, atol=1e-4)


def test_center_crop_channels_first():
    model, _ = build([{"type": "CenterCrop", "height": 2, "width": 3, "data_format": "channels_first"}],
                     {"x": {"shape": [3, 6, 5]}})
    x = image((3, 6, 5))
    expected = reference_crop(np.moveaxis(x, 1, -1), 2, 3)
    assert_close(model(x), np.moveaxis(expected, -1, 1))


@pytest.mark.parametrize("shape, height, width", [((8, 8, 3), 6, 6), ((6, 10, 2), 6, 6), ((4, 6, 1), 6, 6)])
def test_random_crop_at_inference_resizes_to_its_declared_size(shape, height, width):
    model, _ = build([{"type": "RandomCrop", "height": height, "width": width}], {"x": {"shape": list(shape)}})
    x = image(shape)
    out = model(x)
    assert out.shape == (2, height, width, shape[-1])
    np.testing.assert_allclose(out, reference_smart_resize(x, height, width), rtol=1e-5, atol=1e-4)


def test_random_crop_of_an_image_of_its_size_is_the_identity():
    model, _ = build([{"type": "RandomCrop", "height": 4, "width": 5}], {"x": {"shape": [4, 5, 3], "dtype": "int32"}})
    x = image((4, 5, 3), dtype=np.int32)
    assert_close(model(x), x.astype(np.float64))


IDENTITY = sorted(name for name, cls in LAYERS.items() if issubclass(cls, Augmentation) and name != "RandomCrop")
FIELDS = {"RandomRotation": {"factor": 0.2}, "RandomZoom": {"height_factor": 0.2}, "RandomContrast": {"factor": 0.2},
          "RandomTranslation": {"height_factor": 0.1, "width_factor": 0.1}, "RandomBrightness": {"factor": 0.2},
          "RandomHue": {"factor": 0.2}, "RandomSaturation": {"factor": 0.2}, "RandomSharpness": {"factor": 0.2},
          "RandomPosterization": {"factor": 4}, "RandomColorDegeneration": {"factor": 0.2}}


@pytest.mark.parametrize("kind", IDENTITY)
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_augmentation_is_the_identity_at_inference(kind, dtype):
    model, _ = build([{"type": kind, **FIELDS.get(kind, {})}], {"x": {"shape": [4, 5, 3], "dtype": np.dtype(dtype).name}})
    x = image((4, 5, 3), dtype=dtype)
    out = model(x)
    # Integers become float32, as Keras declares; RandomGrayscale keeps the input's dtype.
    assert out.dtype == (np.dtype(dtype) if kind == "RandomGrayscale" else np.float32)
    np.testing.assert_array_equal(out, x)
