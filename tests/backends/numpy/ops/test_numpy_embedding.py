"""embedding_lookup: a gather checked against explicit row copies; out-of-range indices."""
import numpy as np
import pytest

from graphspec_backends.numpy.ops.embedding import embedding_lookup

TABLE = np.arange(1000 * 3, dtype=np.float32).reshape(1000, 3) / 7


def reference_lookup(indices, table, oov_index=None):
    result = np.zeros((*indices.shape, table.shape[1]), table.dtype)
    for position in np.ndindex(*indices.shape):
        index = int(indices[position])
        if not 0 <= index < table.shape[0]:
            index = oov_index
        for c in range(table.shape[1]):
            result[(*position, c)] = table[index, c]
    return result


@pytest.mark.parametrize("shape", [(5,), (4, 7), (2, 3, 4)])
def test_lookup(shape):
    indices = np.random.default_rng(0).integers(0, 1000, shape)
    got = embedding_lookup(indices, TABLE)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, reference_lookup(indices, TABLE))


def test_whole_number_floats_are_accepted():
    indices = np.array([[1.0, 999.0]], np.float32)
    np.testing.assert_array_equal(embedding_lookup(indices, TABLE), TABLE[[[1, 999]]])


def test_fractional_indices_are_rejected():
    with pytest.raises(TypeError, match="integers"):
        embedding_lookup(np.array([1.5]), TABLE)


@pytest.mark.parametrize("bad", [1000, 1200, -1])
def test_out_of_range_maps_to_oov(bad):
    indices = np.array([[3, bad, 5], [bad, 0, 999]])
    np.testing.assert_array_equal(embedding_lookup(indices, TABLE, oov_index=1), reference_lookup(indices, TABLE, 1))


def test_out_of_range_error_names_value_and_position():
    indices = np.zeros((5, 20), np.int64)
    indices[3, 17] = 1200
    indices[4, 2] = 5000
    with pytest.raises(IndexError) as error:
        embedding_lookup(indices, TABLE)
    assert str(error.value) == "index 1200 at position (3, 17) is outside [0, 1000)"


def test_negative_index_is_out_of_range():
    with pytest.raises(IndexError, match=r"index -1 at position \(2,\) is outside \[0, 1000\)"):
        embedding_lookup(np.array([0, 4, -1]), TABLE)


def test_oov_index_itself_must_be_a_row():
    with pytest.raises(ValueError, match="oov_index 1000"):
        embedding_lookup(np.array([1000]), TABLE, oov_index=1000)
