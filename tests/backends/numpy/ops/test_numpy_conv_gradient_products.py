"""The conv gradients without groups (ops/conv_gradient_products.py) are the exact Jacobian products of the conv: the
conv is linear in its input and in its kernel, so d input[i] = <d output, conv(e_i, kernel)> and d kernel[j] =
<d output, conv(x, e_j)> for the unit arrays e, in float64, over ranks, paddings, strides, dilations and even kernels."""
import numpy as np
import pytest

from graphspec_backends.numpy.ops.conv import conv
from graphspec_backends.numpy.ops.conv_gradients import conv_gradients

CASES = [  # (input shape, kernel size, padding, strides, dilation)
    ((2, 7, 3), (3,), "valid", (1,), (1,)),
    ((1, 9, 2), (2,), "causal", (1,), (3,)),
    ((2, 5, 6, 2), (3, 3), "valid", (1, 1), (1, 1)),
    ((1, 6, 5, 2), (2, 3), "same", (1, 1), (1, 1)),
    ((1, 7, 7, 1), (3, 2), "same", (1, 1), (2, 1)),
    ((1, 4, 5, 3, 2), (2, 3, 1), "same", (1, 1, 1), (1, 2, 1)),
    ((2, 8, 7, 2), (3, 3), "valid", (2, 3), (1, 1)),  # strided: d kernel by im2col, d input by taps
    ((1, 9, 8, 3), (2, 3), "same", (2, 2), (1, 1)),
]


def units(shape):
    for index in np.ndindex(*shape):
        unit = np.zeros(shape)
        unit[index] = 1.0
        yield index, unit


@pytest.mark.parametrize("shape, ksize, padding, strides, dilation", CASES)
def test_gradients_are_the_convs_exact_jacobian_products(shape, ksize, padding, strides, dilation):
    rng = np.random.default_rng(len(shape) + sum(ksize))
    x, kernel = rng.standard_normal(shape), rng.standard_normal((*ksize, shape[-1], 3))
    run = lambda a, k: conv(a, k, None, strides, padding, dilation)  # noqa: E731
    dz = rng.standard_normal(run(x, kernel).shape)
    dx, dkernel = conv_gradients(x, kernel, dz, strides, padding, dilation)
    expected_dx, expected_dkernel = np.empty(x.shape), np.empty(kernel.shape)
    for index, unit in units(x.shape):
        expected_dx[index] = np.vdot(dz, run(unit, kernel))
    for index, unit in units(kernel.shape):
        expected_dkernel[index] = np.vdot(dz, run(x, unit))
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dkernel, expected_dkernel, rtol=1e-10, atol=1e-12)


def test_either_gradient_alone():
    rng = np.random.default_rng(0)
    x, kernel = rng.standard_normal((2, 6, 6, 2)), rng.standard_normal((3, 3, 2, 4))
    dz = rng.standard_normal((2, 6, 6, 4))
    both = conv_gradients(x, kernel, dz, (1, 1), "same", (1, 1))
    assert conv_gradients(x, kernel, dz, (1, 1), "same", (1, 1), need_kernel=False)[1] is None
    np.testing.assert_array_equal(conv_gradients(x, kernel, dz, (1, 1), "same", (1, 1), need_input=False)[1], both[1])
    np.testing.assert_array_equal(conv_gradients(x, kernel, dz, (1, 1), "same", (1, 1), need_kernel=False)[0], both[0])
