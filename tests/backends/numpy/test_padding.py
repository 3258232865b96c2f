"""ZeroPadding1D/2D/3D and Cropping1D/2D/3D through the public path against loop references, both data_formats;
a mask_zero mask stops at them, as in Keras."""
import itertools

import numpy as np
import pytest
from support import assert_close, build

from graphspec.diagnostics import RunError


def run(layer, x, **inputs):
    model, _ = build([layer], {"x": {"shape": list(x.shape[1:]), **inputs}})
    return model(x)


def reference_pad(x, pads):
    """channels-last x; pads: (before, after) per spatial axis."""
    spatial = [n + a + b for n, (a, b) in zip(x.shape[1:-1], pads)]
    out = np.zeros((x.shape[0], *spatial, x.shape[-1]))
    for b, c in itertools.product(range(x.shape[0]), range(x.shape[-1])):
        for position in itertools.product(*map(range, spatial)):
            source = [p - before for p, (before, _) in zip(position, pads)]
            if all(0 <= s < n for s, n in zip(source, x.shape[1:-1])):
                out[(b, *position, c)] = x[(b, *source, c)]
    return out


def reference_crop(x, crops):
    spatial = [n - a - b for n, (a, b) in zip(x.shape[1:-1], crops)]
    out = np.zeros((x.shape[0], *spatial, x.shape[-1]))
    for b, c in itertools.product(range(x.shape[0]), range(x.shape[-1])):
        for position in itertools.product(*map(range, spatial)):
            out[(b, *position, c)] = x[(b, *(p + before for p, (before, _) in zip(position, crops)), c)]
    return out


def first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


def in_layout(layer, x, expected, channels_first):
    """The layer on channels-last x against `expected`, or channels_first on both transposed."""
    if channels_first:
        assert_close(run({**layer, "data_format": "channels_first"}, first(x)), first(expected))
    else:
        assert_close(run(layer, x), expected)


SHAPES = {1: (7,), 2: (5, 6), 3: (4, 5, 3)}
CASES = [(1, 2, ((2, 2),)), (1, [0, 3], ((0, 3),)), (2, 1, ((1, 1), (1, 1))), (2, [2, 0], ((2, 2), (0, 0))),
         (2, [[0, 1], [2, 3]], ((0, 1), (2, 3))), (2, [1, [0, 2]], ((1, 1), (0, 2))),
         (3, [[0, 1], 2, [1, 0]], ((0, 1), (2, 2), (1, 0))), (3, 1, ((1, 1),) * 3)]


@pytest.mark.parametrize("rank, value, pairs", CASES)
@pytest.mark.parametrize("channels_first", [False, True])
@pytest.mark.parametrize("batch", [1, 2])
def test_zero_padding(rank, value, pairs, channels_first, batch):
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, *SHAPES[rank], 2)).astype(np.float32)
    in_layout({"type": f"ZeroPadding{rank}D", "padding": value}, x, reference_pad(x, pairs), channels_first)


CROPS = [(1, 3, ((3, 3),)), (1, [0, 2], ((0, 2),)), (2, 1, ((1, 1), (1, 1))), (2, [[0, 1], [2, 0]], ((0, 1), (2, 0))),
         (2, [[1, 2], [0, 3]], ((1, 2), (0, 3))), (3, [1, 2, 0], ((1, 1), (2, 2), (0, 0))),
         (3, [[0, 2], [1, 0], 1], ((0, 2), (1, 0), (1, 1)))]


# Keras 3's Cropping1D has no data_format.
@pytest.mark.parametrize("rank, value, pairs, channels_first",
                         [(*case, cf) for case in CROPS for cf in (False, True) if case[0] > 1 or not cf])
def test_cropping(rank, value, pairs, channels_first):
    x = np.random.default_rng(rank).uniform(-1, 1, (2, *SHAPES[rank], 3)).astype(np.float32)
    in_layout({"type": f"Cropping{rank}D", "cropping": value}, x, reference_crop(x, pairs), channels_first)


def test_integers_stay_integers():
    x = np.arange(12, dtype=np.int32).reshape(1, 6, 2)
    out = run({"type": "ZeroPadding1D", "padding": [1, 0]}, x, dtype="int32")
    assert out.dtype == np.int32 and out[0, 0].tolist() == [0, 0] and out[0, 1].tolist() == [0, 1]


def test_cropping_a_short_variable_length_input_names_the_layer():
    model, _ = build([{"type": "Cropping1D", "name": "trim", "cropping": [2, 2]}], {"x": {"shape": [None, 2]}})
    assert model(np.ones((1, 5, 2), np.float32)).shape == (1, 1, 2)
    with pytest.raises(RunError, match="trim"):
        model(np.ones((1, 4, 2), np.float32))


@pytest.mark.parametrize("between", [{"type": "ZeroPadding1D", "padding": [1, 0]},
                                     {"type": "Cropping1D", "cropping": [0, 1]}])
def test_a_mask_stops_here_as_in_keras(between):
    """Keras's padding and cropping do not support masking: the mean after them counts every step."""
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": 3, "mask_zero": True}, between,
              {"type": "GlobalAveragePooling1D"}]
    ids = np.array([[3, 1, 0, 0, 0], [2, 5, 6, 1, 4]], np.int32)
    model, w = build(layers, {"x": {"shape": [5], "dtype": "int32"}})
    steps = w["emb"]["embeddings"][ids]
    steps = np.pad(steps, ((0, 0), (1, 0), (0, 0))) if between["type"] == "ZeroPadding1D" else steps[:, :-1]
    assert_close(model(ids), steps.mean(axis=1))
