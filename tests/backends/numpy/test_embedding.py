"""Embedding through the public path: the gather, oov_index, the out-of-range error, mask_zero."""
import itertools

import numpy as np
import pytest
from support import build

import graphspec


def embedding_model(input_shape=(4,), **fields):
    layer = {"type": "Embedding", "name": "emb", "input_dim": 6, "output_dim": 3, **fields}
    model, w = build([layer], {"ids": {"shape": list(input_shape), "dtype": "int32"}})
    return model, w["emb"]["embeddings"].astype(np.float32)


@pytest.mark.parametrize("input_shape", [(4,), (2, 3), (None,)])
@pytest.mark.parametrize("batch", [1, 3])
def test_gather(input_shape, batch):
    model, table = embedding_model(input_shape)
    shape = tuple(5 if n is None else n for n in input_shape)
    ids = np.random.default_rng(batch).integers(0, 6, (batch, *shape)).astype(np.int32)
    out = model(ids)
    assert out.shape == (batch, *shape, 3) and out.dtype == np.float32
    for index in itertools.product(*map(range, ids.shape)):
        assert list(out[index]) == list(table[ids[index]])


@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool"])
def test_other_integer_dtypes_index_the_same_rows(dtype):
    model, table = embedding_model()
    ids = np.array([[1, 0, 1, 1]]).astype(dtype)
    np.testing.assert_array_equal(model(ids)[0], table[[1, 0, 1, 1]])


def test_oov_index_maps_every_out_of_range_id_to_its_row():
    model, table = embedding_model(oov_index=2)
    ids = np.array([[0, 5, 6, 99], [-1, 3, -7, 1000000]], np.int32)
    out = model(ids)
    for b, t in itertools.product(range(2), range(4)):
        row = ids[b, t] if 0 <= ids[b, t] < 6 else 2
        assert list(out[b, t]) == list(table[row])


@pytest.mark.parametrize("ids, value, position", [
    ([[1, 2, 6, 0]], 6, (0, 2)),
    ([[1, 2, 3, 4], [0, 0, 5, 17]], 17, (1, 3)),
    ([[-1, 2, 3, 4]], -1, (0, 0)),
])
def test_out_of_range_index_is_a_run_error_naming_index_position_and_layer(ids, value, position):
    model, _ = embedding_model()
    with pytest.raises(graphspec.RunError) as error:
        model(np.array(ids, np.int32))
    message = str(error.value)
    assert f"index {value} at position {position}" in message
    assert "layer 'emb' (Embedding)" in message
    assert "valid ids are 0 to 5" in message


def test_mask_zero_leaves_the_values_alone_and_marks_padding():
    """Row 0 is still looked up; the mask is what later layers see (here: the average over the kept steps)."""
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 6, "output_dim": 3, "mask_zero": True}]
    model, w = build(layers, {"ids": {"shape": [4], "dtype": "int32"}})
    table = w["emb"]["embeddings"].astype(np.float32)
    ids = np.array([[0, 1, 0, 2]], np.int32)
    np.testing.assert_array_equal(model(ids)[0], table[[0, 1, 0, 2]])
    pooled, w = build([*layers, {"type": "GlobalAveragePooling1D"}], {"ids": {"shape": [4], "dtype": "int32"}})
    table = w["emb"]["embeddings"]
    np.testing.assert_allclose(pooled(ids)[0], (table[1] + table[2]) / 2, rtol=1e-6)
