"""Dense's backward against central differences: ranks 2 and 3, activations, no bias, frozen."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("activation", [None, "relu", "tanh", "sigmoid", "softmax", "gelu", "elu", "selu"])
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4)], ids=["rank2", "rank3"])
def test_dense_gradients(activation, shape):
    check_layer_gradients({"type": "Dense", "units": 4, "activation": activation}, [RNG.standard_normal(shape)])


def test_dense_without_bias():
    grads = check_layer_gradients({"type": "Dense", "units": 3, "use_bias": False}, [RNG.standard_normal((3, 4))])
    assert set(grads.weights) == {"kernel"}


def test_frozen_dense_computes_no_weight_gradient():
    grads = check_layer_gradients({"type": "Dense", "units": 3, "trainable": False}, [RNG.standard_normal((3, 4))])
    assert grads.weights == {}
