import pytest

from graphspec.layers.arith import conv_output_length, effective_kernel, same_padding


def test_effective_kernel_spans_the_dilated_taps():
    assert effective_kernel(3, 1) == 3
    assert effective_kernel(3, 2) == 5


@pytest.mark.parametrize("length, kernel, stride, padding, dilation, out", [
    (28, 3, 1, "valid", 1, 26), (28, 3, 1, "same", 1, 28), (28, 3, 2, "valid", 1, 13), (27, 3, 2, "same", 1, 14),
    (28, 3, 1, "valid", 2, 24), (7, 5, 3, "valid", 1, 1), (2, 3, 1, "valid", 1, 0), (None, 3, 2, "same", 1, None),
])
def test_conv_output_length(length, kernel, stride, padding, dilation, out):
    assert conv_output_length(length, kernel, stride, padding, dilation) == out


@pytest.mark.parametrize("length, kernel, stride, dilation, padding", [
    (28, 3, 1, 1, (1, 1)), (28, 4, 1, 1, (1, 2)), (7, 3, 2, 1, (1, 1)), (8, 3, 2, 1, (0, 1)), (5, 3, 1, 2, (2, 2)),
    (6, 1, 2, 1, (0, 0)),
])
def test_same_padding_puts_the_odd_element_at_the_end(length, kernel, stride, dilation, padding):
    assert same_padding(length, kernel, stride, dilation) == padding
