"""Flatten and Reshape through the public path: values in row-major order, the batch kept, -1 inferred,
integer ids kept integer."""
import itertools

import numpy as np
import pytest
from support import build

import graphspec


def row_major(sample):
    """The values of one sample in row-major (C) order, by explicit loops over its axes."""
    return [sample[index] for index in itertools.product(*map(range, sample.shape))]


@pytest.mark.parametrize("shape", [(6,), (3, 4), (2, 3, 4)])
@pytest.mark.parametrize("batch", [1, 3])
def test_flatten(shape, batch):
    model, _ = build([{"type": "Flatten"}], {"x": {"shape": list(shape)}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, *shape)).astype(np.float32)
    out = model(x)
    assert out.shape == (batch, int(np.prod(shape))) and out.dtype == np.float32
    for b in range(batch):
        assert list(out[b]) == row_major(x[b])


@pytest.mark.parametrize("shape, target, result", [
    ((4, 6), [3, -1], (3, 8)),
    ((4, 6), [-1], (24,)),
    ((24,), [2, -1, 3], (2, 4, 3)),
    ((2, 3, 4), [4, 6], (4, 6)),
])
@pytest.mark.parametrize("batch", [1, 2])
def test_reshape(shape, target, result, batch):
    model, _ = build([{"type": "Reshape", "target_shape": target}], {"x": {"shape": list(shape)}})
    assert model.graph.output_types[model.output_names[0]].shape == (None, *result)
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, *shape)).astype(np.float32)
    out = model(x)
    assert out.shape == (batch, *result)
    for b in range(batch):
        assert row_major(out[b]) == row_major(x[b])


def test_reshape_of_a_variable_length_input():
    model, _ = build([{"type": "Reshape", "target_shape": [-1, 2]}], {"x": {"shape": [None, 4]}})
    x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    out = model(x)
    assert out.shape == (2, 6, 2)
    for b in range(2):
        assert row_major(out[b]) == row_major(x[b])


def test_flatten_keeps_integer_ids_for_an_embedding():
    layers = [{"type": "Flatten"}, {"type": "Embedding", "name": "emb", "input_dim": 10, "output_dim": 3}]
    model, w = build(layers, {"ids": {"shape": [2, 3], "dtype": "int32"}})
    ids = np.random.default_rng(0).integers(0, 10, (2, 2, 3)).astype(np.int32)
    out = model(ids)
    table = w["emb"]["embeddings"].astype(np.float32)
    for b in range(2):
        for j, index in enumerate(row_major(ids[b])):
            np.testing.assert_array_equal(out[b, j], table[index])


def test_variable_length_that_does_not_fit_the_target_is_a_run_error():
    model, _ = build([{"type": "Reshape", "name": "pairs", "target_shape": [-1, 2]}], {"x": {"shape": [None, 3]}})
    with pytest.raises(graphspec.RunError, match=r"layer 'pairs' \(Reshape\): a sample of shape \(3, 3\) "
                                                 r"\(9 elements\) does not fit target_shape \[-1, 2\]"):
        model(np.zeros((1, 3, 3), np.float32))


def test_no_samples():
    for layer in ({"type": "Flatten"}, {"type": "Reshape", "target_shape": [-1]}):
        model, _ = build([layer], {"x": {"shape": [2, 3]}})
        assert model(np.zeros((0, 2, 3), np.float32)).shape == (0, 6)


@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_repeat_vector(dtype):
    model, _ = build([{"type": "RepeatVector", "n": 3}], {"x": {"shape": [4], "dtype": dtype}})
    x = np.arange(8).reshape(2, 4).astype(dtype)
    out = model(x)
    assert out.shape == (2, 3, 4) and out.dtype == np.dtype(dtype)
    for b, step in itertools.product(range(2), range(3)):
        assert list(out[b, step]) == list(x[b])


@pytest.mark.parametrize("shape, dims", [((3, 4), [2, 1]), ((2, 3, 4), [3, 1, 2]), ((2, 3, 4), [1, 2, 3]),
                                         ((2, 3, 4, 5), [4, 2, 1, 3])])
def test_permute_moves_each_value_to_its_new_axes(shape, dims):
    model, _ = build([{"type": "Permute", "dims": dims}], {"x": {"shape": list(shape)}})
    x = np.random.default_rng(0).uniform(-1, 1, (2, *shape)).astype(np.float32)
    out = model(x)
    assert out.shape == (2, *(shape[d - 1] for d in dims)) and out.dtype == np.float32
    for index in itertools.product(*map(range, x.shape)):
        assert out[(index[0], *(index[d] for d in dims))] == x[index]


def test_permute_keeps_integer_ids():
    model, _ = build([{"type": "Permute", "dims": [2, 1]}], {"x": {"shape": [2, 3], "dtype": "int32"}})
    assert model(np.arange(6, dtype=np.int32).reshape(1, 2, 3)).tolist() == [[[0, 3], [1, 4], [2, 5]]]
