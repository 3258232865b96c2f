"""UpSampling1D/2D/3D and Resizing through the public path, and the resize op, against loop references written from
the definitions jax.image.resize (so keras.ops.image.resize) follows: half-pixel centres; nearest takes the pixel at
floor((i + 0.5) * in / out); bilinear is the classic two-tap formula clamped at the edges; with antialias (or for the
wider kernels) every input pixel is weighed by kernel(|sample - j| / max(in / out, 1)), normalised over the image."""
import itertools
import math

import numpy as np
import pytest
from support import assert_close, build

from graphspec_backends.numpy.ops.resize import resize


def run(layer, x, **inputs):
    model, _ = build([layer], {"x": {"shape": list(x.shape[1:]), **inputs}})
    return model(x)


def first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


def reference_repeat(x, factors):
    spatial = [n * f for n, f in zip(x.shape[1:-1], factors)]
    out = np.zeros((x.shape[0], *spatial, x.shape[-1]))
    for b, c in itertools.product(range(x.shape[0]), range(x.shape[-1])):
        for position in itertools.product(*map(range, spatial)):
            out[(b, *position, c)] = x[(b, *(p // f for p, f in zip(position, factors)), c)]
    return out


def reference_nearest(x, height, width):
    out = np.zeros((x.shape[0], height, width, x.shape[-1]))
    for b, i, j, c in itertools.product(range(x.shape[0]), range(height), range(width), range(x.shape[-1])):
        out[b, i, j, c] = x[b, math.floor((i + 0.5) * x.shape[1] / height), math.floor((j + 0.5) * x.shape[2] / width), c]
    return out


def reference_bilinear(x, height, width):
    def taps(i, size, length):
        position = max((i + 0.5) * size / length - 0.5, 0.0)
        low = min(math.floor(position), size - 1)
        return low, min(low + 1, size - 1), position - low

    out = np.zeros((x.shape[0], height, width, x.shape[-1]))
    for b, i, j, c in itertools.product(range(x.shape[0]), range(height), range(width), range(x.shape[-1])):
        y0, y1, fy = taps(i, x.shape[1], height)
        x0, x1, fx = taps(j, x.shape[2], width)
        top = x[b, y0, x0, c] * (1 - fx) + x[b, y0, x1, c] * fx
        bottom = x[b, y1, x0, c] * (1 - fx) + x[b, y1, x1, c] * fx
        out[b, i, j, c] = top * (1 - fy) + bottom * fy
    return out


def keys_cubic(t):
    t = abs(t)
    if t < 1:
        return 1.5 * t ** 3 - 2.5 * t ** 2 + 1
    return -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2 if t < 2 else 0.0


def lanczos(radius):
    def kernel(t):
        t = abs(t)
        if t > radius:
            return 0.0
        if t <= 1e-3:
            return 1.0
        return radius * math.sin(math.pi * t) * math.sin(math.pi * t / radius) / (math.pi * t) ** 2
    return kernel


KERNELS = {"bilinear": lambda t: max(0.0, 1 - abs(t)), "bicubic": keys_cubic, "lanczos3": lanczos(3),
           "lanczos5": lanczos(5)}


def axis_weights(i, size, length, kernel, antialias):
    scale = max(size / length, 1.0) if antialias else 1.0
    sample = (i + 0.5) * size / length - 0.5
    weights = [kernel(abs(sample - j) / scale) for j in range(size)]
    return [w / sum(weights) for w in weights]


def reference_kernel_resize(x, height, width, method, antialias):
    kernel = KERNELS[method]
    out = np.zeros((x.shape[0], height, width, x.shape[-1]))
    for b, i, j, c in itertools.product(range(x.shape[0]), range(height), range(width), range(x.shape[-1])):
        rows = axis_weights(i, x.shape[1], height, kernel, antialias) if height != x.shape[1] else \
            [float(a == i) for a in range(x.shape[1])]
        cols = axis_weights(j, x.shape[2], width, kernel, antialias) if width != x.shape[2] else \
            [float(a == j) for a in range(x.shape[2])]
        out[b, i, j, c] = sum(rows[a] * cols[d] * x[b, a, d, c] for a in range(x.shape[1]) for d in range(x.shape[2]))
    return out


def image(batch=2, shape=(7, 9), channels=2, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (batch, *shape, channels)).astype(np.float32)


REPEATS = [(1, None, (2,)), (1, 3, (3,)), (2, None, (2, 2)), (2, [1, 3], (1, 3)), (3, None, (2, 2, 2)),
           (3, [1, 2, 3], (1, 2, 3))]


# Keras 3's UpSampling1D has no data_format.
@pytest.mark.parametrize("rank, size, factors, channels_first",
                         [(*case, cf) for case in REPEATS for cf in (False, True) if case[0] > 1 or not cf])
def test_upsampling_repeats(rank, size, factors, channels_first):
    x = image(shape={1: (5,), 2: (3, 4), 3: (2, 3, 2)}[rank])
    layer = {"type": f"UpSampling{rank}D", **({} if size is None else {"size": size})}
    if channels_first:
        assert_close(run({**layer, "data_format": "channels_first"}, first(x)), first(reference_repeat(x, factors)))
    else:
        assert_close(run(layer, x), reference_repeat(x, factors))


@pytest.mark.parametrize("height, width", [(11, 13), (4, 5), (7, 3), (14, 18), (1, 1)])
def test_nearest_and_bilinear_up_and_down(height, width):
    x = image()
    assert_close(resize(x, (height, width), "nearest"), reference_nearest(x, height, width))
    assert_close(resize(x, (height, width), "bilinear"), reference_bilinear(x, height, width))
    if height >= 7 and width >= 9:  # no axis shrinks: antialias changes nothing
        assert_close(resize(x, (height, width), "bilinear", antialias=True), reference_bilinear(x, height, width))


@pytest.mark.parametrize("method", ["bilinear", "bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("height, width, antialias", [(3, 4, True), (4, 5, False), (10, 5, True), (9, 12, False),
                                                      (7, 4, True)])
def test_kernel_methods(method, height, width, antialias):
    x = image(batch=1)
    assert_close(resize(x, (height, width), method, antialias), reference_kernel_resize(x, height, width, method,
                                                                                         antialias))


def test_antialias_matters_only_when_downsizing():
    x = image()
    assert not np.allclose(resize(x, (3, 4), "bilinear", True), resize(x, (3, 4), "bilinear", False))
    np.testing.assert_array_equal(resize(x, (14, 18), "bilinear", True), resize(x, (14, 18), "bilinear", False))
    np.testing.assert_array_equal(resize(x, (3, 4), "nearest", True), resize(x, (3, 4), "nearest", False))


@pytest.mark.parametrize("interpolation, size", [("bilinear", [3, 2]), ("bicubic", 2), ("lanczos3", [1, 2]),
                                                 ("nearest", [2, 3])])
@pytest.mark.parametrize("channels_first", [False, True])
def test_upsampling2d_interpolates_as_resize(interpolation, size, channels_first):
    x = image(shape=(4, 5))
    factors = (size, size) if isinstance(size, int) else size
    height, width = 4 * factors[0], 5 * factors[1]
    expected = reference_nearest(x, height, width) if interpolation == "nearest" else \
        reference_kernel_resize(x, height, width, interpolation, False)
    layer = {"type": "UpSampling2D", "size": size, "interpolation": interpolation}
    if channels_first:
        assert_close(run({**layer, "data_format": "channels_first"}, first(x)), first(expected))
    else:
        assert_close(run(layer, x), expected)


@pytest.mark.parametrize("fields, shape", [({"height": 11, "width": 13}, (7, 9)), ({"height": 3, "width": 4,
                                           "antialias": True}, (7, 9)), ({"height": 5, "width": 2,
                                           "interpolation": "nearest"}, (7, 9)),
                                           ({"height": 4, "width": 4, "interpolation": "bicubic"}, (None, None))])
@pytest.mark.parametrize("channels_first", [False, True])
def test_resizing_layer(fields, shape, channels_first):
    x = image(shape=(7, 9))
    method = fields.get("interpolation", "bilinear")
    expected = reference_nearest(x, fields["height"], fields["width"]) if method == "nearest" else \
        reference_kernel_resize(x, fields["height"], fields["width"], method, fields.get("antialias", False))
    declared = list(shape) + [2]
    if channels_first:
        model, _ = build([{"type": "Resizing", **fields, "data_format": "channels_first"}],
                         {"x": {"shape": [2, *shape]}})
        assert_close(model(first(x)), first(expected))
    else:
        model, _ = build([{"type": "Resizing", **fields}], {"x": {"shape": declared}})
        assert_close(model(x), expected)


def test_resizing_keeps_integer_images_in_their_dtype_as_keras():
    """Keras 3 resizes in float32, then rounds half to even and clips to the integer dtype's range (bicubic
    overshoots 255 here)."""
    x = np.array([[0, 255, 0, 255, 10, 11], [255, 0, 255, 0, 3, 4]] * 3, np.uint8).reshape(1, 6, 6, 1)
    out = run({"type": "Resizing", "height": 4, "width": 4, "interpolation": "bicubic"}, x, dtype="uint8")
    expected = reference_kernel_resize(x.astype(np.float64), 4, 4, "bicubic", False)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, np.clip(np.round(expected), 0, 255))
    assert out[0, :, :, 0].tolist() == [[85, 77, 172, 5], [77, 67, 186, 5], [178, 188, 20, 4], [170, 178, 34, 4]]
    x = np.arange(2 * 3 * 3, dtype=np.int32).reshape(1, 3, 3, 2)
    out = run({"type": "Resizing", "height": 6, "width": 6, "interpolation": "nearest"}, x, dtype="int32")
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, reference_nearest(x, 6, 6))
    assert run({"type": "UpSampling2D"}, x, dtype="int32").dtype == np.int32


def reference_aspect_fit(x, height, width, crop, fill_value=0.0):
    """keras.ops.image.resize's crop_to_aspect_ratio / pad_to_aspect_ratio, element by element: the crop's sizes
    and start truncated towards zero; the padding half the shortfall (truncated) on each side."""
    h, w = x.shape[1:3]
    if crop:
        new_h, new_w = max(min(h, int(w * height / width)), 1), max(min(w, int(h * width / height)), 1)
        top, left = int((h - new_h) / 2), int((w - new_w) / 2)
        out = np.zeros((x.shape[0], new_h, new_w, x.shape[-1]))
        for b, i, j, c in itertools.product(range(x.shape[0]), range(new_h), range(new_w), range(x.shape[-1])):
            out[b, i, j, c] = x[b, top + i, left + j, c]
        return out
    rows = int((max(h, int(w * height / width)) - h) / 2)
    columns = int((max(w, int(h * width / height)) - w) / 2)
    out = np.full((x.shape[0], h + 2 * rows, w + 2 * columns, x.shape[-1]), float(fill_value))
    for b, i, j, c in itertools.product(range(x.shape[0]), range(h), range(w), range(x.shape[-1])):
        out[b, rows + i, columns + j, c] = x[b, i, j, c]
    return out


@pytest.mark.parametrize("size, height, width", [((7, 9), 4, 4), ((7, 9), 6, 3), ((7, 9), 2, 7), ((5, 5), 3, 3),
                                                 ((4, 9), 5, 4)])
@pytest.mark.parametrize("crop", [True, False])
@pytest.mark.parametrize("channels_first", [False, True])
def test_resizing_to_aspect_ratio(size, height, width, crop, channels_first):
    x = image(shape=size)
    fields = {"crop_to_aspect_ratio": True} if crop else {"pad_to_aspect_ratio": True, "fill_value": -1.5}
    fitted = reference_aspect_fit(x, height, width, crop, -1.5)
    expected = reference_kernel_resize(fitted, height, width, "bilinear", False)
    layer = {"type": "Resizing", "height": height, "width": width, **fields}
    if channels_first:
        assert_close(run({**layer, "data_format": "channels_first"}, first(x)), first(expected))
    else:
        assert_close(run(layer, x), expected)


def test_pad_to_aspect_ratio_pads_both_sides_alike_as_keras():
    """A 7 × 9 image to 13 × 9: 3 rows of fill_value above and 3 below make it 13 × 9, which needs no resize."""
    x = image(shape=(7, 9))
    out = run({"type": "Resizing", "height": 13, "width": 9, "pad_to_aspect_ratio": True, "fill_value": 7.0,
               "interpolation": "nearest"}, x)
    assert out.shape == (x.shape[0], 13, 9, 2)
    assert np.all(out[:, :3] == 7.0) and np.all(out[:, -3:] == 7.0)
    assert_close(out[:, 3:10], x)
