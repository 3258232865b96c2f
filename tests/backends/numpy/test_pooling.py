"""Max/AveragePooling1D/2D and the global poolings through the public path against loop references:
strides (default: pool_size), valid and same padding (the average leaves the padding out, as TensorFlow),
keepdims, and a mask_zero mask that GlobalAveragePooling1D averages over."""
import itertools

import numpy as np
import pytest
from support import assert_close, build
from references import reference_pool


def run(layers, x, **inputs):
    model, w = build(layers, {"x": {"shape": list(x.shape[1:]), **inputs}})
    return model(x), w


@pytest.mark.parametrize("kind", ["MaxPooling1D", "AveragePooling1D"])
@pytest.mark.parametrize("pool_size", [2, 3])
@pytest.mark.parametrize("strides", [None, 1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("batch", [1, 3])
def test_pooling1d(kind, pool_size, strides, padding, batch):
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, 9, 2)).astype(np.float32)
    out, _ = run([{"type": kind, "pool_size": pool_size, "strides": strides, "padding": padding}], x)
    mode = "max" if kind.startswith("Max") else "avg"
    assert_close(out, reference_pool(x, (pool_size,), (strides or pool_size,), padding, mode))


@pytest.mark.parametrize("kind", ["MaxPooling2D", "AveragePooling2D"])
@pytest.mark.parametrize("pool_size", [(2, 2), (3, 3), (2, 3)])
@pytest.mark.parametrize("strides", [None, (1, 1), (2, 1)])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("batch", [1, 2])
def test_pooling2d(kind, pool_size, strides, padding, batch):
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, 7, 6, 3)).astype(np.float32)
    layer = {"type": kind, "pool_size": list(pool_size), "strides": strides and list(strides), "padding": padding}
    out, _ = run([layer], x)
    mode = "max" if kind.startswith("Max") else "avg"
    assert_close(out, reference_pool(x, pool_size, strides or pool_size, padding, mode))


def test_average_same_padding_leaves_the_padding_out():
    """A 2-wide average over [1, 2, 3] with same padding: the last window holds 3 alone, so it is 3, not 1.5."""
    x = np.array([[[1.0], [2.0], [3.0]]], np.float32)
    out, _ = run([{"type": "AveragePooling1D", "pool_size": 2, "padding": "same"}], x)
    np.testing.assert_array_equal(out, [[[1.5], [3.0]]])


def test_max_same_padding_on_negative_values_ignores_the_padding():
    x = np.full((1, 3, 3, 1), -5.0, np.float32)
    out, _ = run([{"type": "MaxPooling2D", "pool_size": 2, "padding": "same"}], x)
    np.testing.assert_array_equal(out, np.full((1, 2, 2, 1), -5.0))


@pytest.mark.parametrize("kind", ["GlobalAveragePooling1D", "GlobalMaxPooling1D",
                                  "GlobalAveragePooling2D", "GlobalMaxPooling2D"])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("batch", [1, 3])
def test_global_pooling(kind, keepdims, batch):
    rank = int(kind[-2])
    spatial = (5,) if rank == 1 else (4, 3)
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, *spatial, 2)).astype(np.float32)
    out, _ = run([{"type": kind, "keepdims": keepdims}], x)
    expected = np.zeros((batch, 2))
    for b, c in itertools.product(range(batch), range(2)):
        values = [float(x[(b, *p, c)]) for p in itertools.product(*map(range, spatial))]
        expected[b, c] = max(values) if "Max" in kind else sum(values) / len(values)
    if keepdims:
        expected = expected.reshape(batch, *(1,) * rank, 2)
    assert_close(out, expected)


def masked_tokens():
    """Two sequences padded with id 0, one with padding in the middle too."""
    return np.array([[3, 1, 4, 0, 0], [2, 0, 5, 6, 1]], np.int32)


def embedded(ids, table):
    return np.array([[table[i] for i in row] for row in ids])


@pytest.mark.parametrize("between", [[], [{"type": "Dropout", "rate": 0.5}],
                                     [{"type": "Dense", "name": "dense", "units": 3}],
                                     [{"type": "LayerNormalization", "name": "norm"}, {"type": "Activation",
                                                                                        "activation": "linear"}]])
def test_global_average_over_unmasked_steps(between):
    """An Embedding's mask_zero mask reaches GlobalAveragePooling1D through the layers that pass masks on."""
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": 4, "mask_zero": True},
              *between, {"type": "GlobalAveragePooling1D"}]
    ids = masked_tokens()
    out, w = run(layers, ids, dtype="int32")
    steps = embedded(ids, w["emb"]["embeddings"])
    if "dense" in w:
        steps = steps @ w["dense"]["kernel"] + w["dense"]["bias"]
    if "norm" in w:
        steps = (steps - steps.mean(-1, keepdims=True)) / np.sqrt(steps.var(-1, keepdims=True) + 1e-3)
        steps = steps * w["norm"]["gamma"] + w["norm"]["beta"]
    expected = np.zeros((2, steps.shape[-1]))
    for b in range(2):
        kept = [steps[b, t] for t in range(5) if ids[b, t] != 0]
        expected[b] = sum(kept) / len(kept)
    assert_close(out, expected)


@pytest.mark.parametrize("between", [{"type": "Conv1D", "filters": 4, "kernel_size": 1, "name": "conv"},
                                     {"type": "MaxPooling1D", "pool_size": 1}, None])
def test_mask_does_not_pass_layers_that_drop_it(between):
    """Conv1D and pooling drop the mask (as in Keras), and GlobalMaxPooling1D takes none: every step counts."""
    final = "GlobalMaxPooling1D" if between is None else "GlobalAveragePooling1D"
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": 4, "mask_zero": True},
              *([between] if between else []), {"type": final}]
    ids = masked_tokens()
    out, w = run(layers, ids, dtype="int32")
    steps = embedded(ids, w["emb"]["embeddings"])
    if "conv" in w:
        steps = steps @ w["conv"]["kernel"][0] + w["conv"]["bias"]
    expected = steps.max(axis=1) if between is None else steps.mean(axis=1)
    assert_close(out, expected)


def channels_first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


@pytest.mark.parametrize("kind", ["MaxPooling3D", "AveragePooling3D"])
@pytest.mark.parametrize("pool_size, strides", [((2, 2, 2), None), ((2, 3, 2), (1, 2, 2)), ((3, 2, 3), (1, 2, 1)),
                                                ((3, 2, 2), (1, 1, 1))])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_pooling3d(kind, pool_size, strides, padding, data_format):
    x = np.random.default_rng(3).uniform(-1, 1, (2, 4, 5, 3, 2)).astype(np.float32)
    layer = {"type": kind, "pool_size": list(pool_size), "strides": strides and list(strides), "padding": padding,
             "data_format": data_format}
    expected = reference_pool(x, pool_size, strides or pool_size, padding, "max" if "Max" in kind else "avg")
    if data_format == "channels_first":
        out, _ = run([layer], channels_first(x))
        assert_close(out, channels_first(expected))
    else:
        assert_close(run([layer], x)[0], expected)


@pytest.mark.parametrize("kind, shape", [("MaxPooling1D", (7,)), ("AveragePooling1D", (7,)), ("MaxPooling2D", (5, 6)),
                                         ("AveragePooling2D", (5, 6))])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_channels_first_1d_2d(kind, shape, padding):
    x = np.random.default_rng(4).uniform(-1, 1, (2, *shape, 3)).astype(np.float32)
    rank = len(shape)
    layer = {"type": kind, "pool_size": 3, "strides": 2, "padding": padding, "data_format": "channels_first"}
    out, _ = run([layer], channels_first(x))
    expected = reference_pool(x, (3,) * rank, (2,) * rank, padding, "max" if "Max" in kind else "avg")
    assert_close(out, channels_first(expected))


def test_a_channels_first_max_pooling_is_not_fused_into_the_conv():
    """The fused conv pools channels-last; after a channels-last conv, a channels_first pooling reads (filters) as
    the last spatial axis, as Keras would."""
    x = np.random.default_rng(5).uniform(-1, 1, (2, 4, 6, 3)).astype(np.float32)
    layers = [{"type": "Conv2D", "name": "conv", "filters": 4, "kernel_size": 1},
              {"type": "MaxPooling2D", "data_format": "channels_first"}]
    out, w = run(layers, x)
    conv = x @ w["conv"]["kernel"][0, 0] + w["conv"]["bias"]  # (2, 4, 6, 4): channels_first reads it as C=4, 6x4
    assert_close(out, channels_first(reference_pool(np.moveaxis(conv, 1, -1), (2, 2), (2, 2), "valid", "max")))


@pytest.mark.parametrize("kind", ["GlobalAveragePooling1D", "GlobalMaxPooling1D", "GlobalAveragePooling2D",
                                  "GlobalMaxPooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling3D"])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_pooling_layouts(kind, keepdims, data_format):
    rank = int(kind[-2])
    spatial = {1: (5,), 2: (4, 3), 3: (3, 4, 2)}[rank]
    x = np.random.default_rng(rank).uniform(-1, 1, (2, *spatial, 3)).astype(np.float32)
    cf = data_format == "channels_first"
    out, _ = run([{"type": kind, "keepdims": keepdims, "data_format": data_format}], channels_first(x) if cf else x)
    expected = np.zeros((2, 3))
    for b, c in itertools.product(range(2), range(3)):
        values = [float(x[(b, *p, c)]) for p in itertools.product(*map(range, spatial))]
        expected[b, c] = max(values) if "Max" in kind else sum(values) / len(values)
    if keepdims:
        expected = expected.reshape(2, 3, *(1,) * rank) if cf else expected.reshape(2, *(1,) * rank, 3)
    assert_close(out, expected)


def test_channels_first_global_average_masks_axis_2():
    """Keras 3: channels_first reads (batch, features, steps); the (batch, steps) mask is laid along axis 2. Here the
    Embedding's (batch, 5, 5) output is read as 5 features of 5 steps, step t masked where token t is 0."""
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": 5, "mask_zero": True},
              {"type": "GlobalAveragePooling1D", "data_format": "channels_first", "keepdims": True}]
    ids = masked_tokens()
    out, w = run(layers, ids, dtype="int32")
    steps = embedded(ids, w["emb"]["embeddings"])
    expected = np.zeros((2, 5, 1))
    for b, f in itertools.product(range(2), range(5)):
        kept = [steps[b, f, t] for t in range(5) if ids[b, t] != 0]
        expected[b, f, 0] = sum(kept) / len(kept)
    assert_close(out, expected)
