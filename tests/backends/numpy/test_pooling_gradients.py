"""Backward of max and average pooling against central differences: overlapping windows, same padding (partial
windows), strides, channels_first, 1-3 spatial axes."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(0)

FIELDS = [{"pool_size": 2}, {"pool_size": 3, "strides": 2, "padding": "same"}, {"pool_size": 2, "strides": 1},
          {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"}]


@pytest.mark.parametrize("kind", ["MaxPooling", "AveragePooling"])
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("fields", FIELDS, ids=str)
def test_pooling(kind, rank, fields):
    # distinct values (a permutation) so that no window has a tie, where the maximum's gradient is not smooth
    shape = (2, 5, 5, 2)[: rank + 1] + (2,) if rank < 3 else (1, 5, 4, 4, 2)  # small: finite differences stay exact
    x = RNG.permutation(np.prod(shape)).reshape(shape) / np.prod(shape)
    check_layer_gradients({"type": f"{kind}{rank}D", **fields}, [x])


def test_a_tie_sends_the_gradient_to_one_element():
    from graphspec_backends.numpy.ops.pooling_gradients import pool_gradient
    x = np.ones((1, 4, 1))
    dx = pool_gradient(x, np.ones((1, 2, 1)), np.ones((1, 2, 1)), (2,), (2,), "valid", "max")
    assert dx.ravel().tolist() == [1, 0, 1, 0]
