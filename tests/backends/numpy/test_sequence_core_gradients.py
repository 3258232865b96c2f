"""Backward of Dot, Masking, PositionEmbedding and SinePositionEncoding against central differences."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients, layer_kernel

from graphspec_backends.numpy.kernels.base import Training

RNG = np.random.default_rng(5)


def normal(*shape):
    return RNG.standard_normal(shape)


@pytest.mark.parametrize("axes, shapes", [
    (1, [(2, 4), (2, 4)]), (-1, [(2, 3, 4), (2, 5, 4)]), ([2, 1], [(2, 3, 4), (2, 4, 5)]), (1, [(2, 3, 4), (2, 3)]),
], ids=str)
@pytest.mark.parametrize("normalize", [False, True])
def test_dot(axes, shapes, normalize):
    check_layer_gradients({"type": "Dot", "axes": axes, "normalize": normalize}, [normal(*s) for s in shapes])


def train(layer, x, masks=None):
    kernel = layer_kernel(layer, [x])
    return kernel.train_forward([x], masks or [None], Training(np.random.default_rng(0)))


def test_masking_gives_masked_steps_no_gradient():
    x = normal(2, 4, 3)
    x[0, 1] = x[1, 3] = 0.5
    y, backward = train({"type": "Masking", "mask_value": 0.5}, x)
    dy = normal(*y.shape)
    dx = backward(dy).inputs[0]
    kept = np.ones((2, 4), bool)
    kept[0, 1] = kept[1, 3] = False
    assert not dx[~kept].any() and np.array_equal(dx[kept], dy[kept])


def test_masking_gradient_check_on_unmasked_steps():
    check_layer_gradients({"type": "Masking"}, [normal(2, 4, 3)])


def test_position_embedding():
    grads = check_layer_gradients({"type": "PositionEmbedding", "sequence_length": 6}, [normal(2, 4, 3)])
    assert not grads.weights["embeddings"][4:].any() and not grads.inputs[0].any()


def test_sine_position_encoding():
    grads = check_layer_gradients({"type": "SinePositionEncoding"}, [normal(2, 4, 6)])
    assert not grads.inputs[0].any() and not grads.weights
