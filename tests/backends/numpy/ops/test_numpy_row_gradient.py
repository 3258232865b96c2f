"""RowGradient, the Embedding's scatter-add, against np.add.at: exact on whole-number rows (any order of adding
gives the same sums), over repeats, broadcast gradients and calls that reuse the result buffer."""
import numpy as np
import pytest

from graphspec_backends.numpy.ops import row_gradient
from graphspec_backends.numpy.ops.row_gradient import RowGradient


@pytest.fixture(params=["one core", "split between cores"], autouse=True)
def split(request, monkeypatch):
    """Every test runs on small gradients twice: as they are, and split between threads as big ones are."""
    if request.param == "split between cores":
        monkeypatch.setattr(row_gradient, "PARALLEL", 0)
        monkeypatch.setattr(row_gradient, "_cores", lambda: 2)

SIZE, WIDTH = 300, 4


def whole_rows(rng, count):
    return rng.integers(-8, 9, (count, WIDTH)).astype(np.float32)


def expected(ids, rows, size=SIZE):
    table = np.zeros((size, rows.shape[-1]), rows.dtype)
    np.add.at(table, ids.reshape(-1), rows.reshape(ids.size, rows.shape[-1]))
    return table


@pytest.mark.parametrize("ids", [
    np.arange(50),                                 # every id once
    np.zeros(200, int),                            # one id, many times (the reduction past FEW)
    np.random.default_rng(1).integers(0, SIZE, 5000),  # uniform: many ids a few times each
    np.minimum(np.random.default_rng(2).zipf(1.3, 5000) - 1, SIZE - 1),  # text-like: a few ids very often
])
def test_sums_equal_np_add_at(ids):
    rows = whole_rows(np.random.default_rng(0), ids.size)
    np.testing.assert_array_equal(RowGradient()(ids, rows, SIZE), expected(ids, rows))


def test_a_broadcast_gradient_is_summed_without_being_written_out():
    """A mean's backward: one row per sample spread over its steps (a read-only view with a zero stride)."""
    rng = np.random.default_rng(3)
    ids, per_sample = rng.integers(0, SIZE, (6, 40)), whole_rows(rng, 6)
    spread = np.broadcast_to(per_sample[:, None, :], (6, 40, WIDTH))
    np.testing.assert_array_equal(RowGradient()(ids, spread, SIZE), expected(ids, np.ascontiguousarray(spread)))


def test_a_reused_buffer_keeps_no_rows_of_the_last_call():
    rng, gradient = np.random.default_rng(4), RowGradient()
    for ids in (rng.integers(0, SIZE, 900), rng.integers(0, 20, 30), np.arange(290, 300), np.empty(0, int)):
        rows = whole_rows(rng, ids.size)
        np.testing.assert_array_equal(gradient(ids, rows, SIZE), expected(ids, rows))


def test_float_rows_match_np_add_at_to_rounding():
    rng = np.random.default_rng(5)
    ids, rows = rng.integers(0, 40, 3000), rng.standard_normal((3000, WIDTH)).astype(np.float32)
    np.testing.assert_allclose(RowGradient()(ids, rows, SIZE), expected(ids, rows), rtol=1e-5, atol=1e-5)
