"""The kernel registry covers every layer type (and only those)."""
import pytest

from graphspec.layers import layer_types
from graphspec_backends.numpy.kernels import KERNELS, Kernel


@pytest.mark.parametrize("layer_type", layer_types(), ids=lambda cls: cls.__name__)
def test_every_layer_type_has_a_kernel(layer_type):
    assert layer_type.__name__ in KERNELS
    assert issubclass(KERNELS[layer_type.__name__], Kernel)


def test_no_kernel_for_an_unknown_type():
    assert set(KERNELS) == {cls.__name__ for cls in layer_types()}
