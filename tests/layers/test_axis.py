import pytest

from graphspec.diagnostics import Code
from graphspec.layers import BatchNormalization, ShapeError
from graphspec.layers.axis import layer_axis

LAYER = BatchNormalization()


@pytest.mark.parametrize("axis, index", [(-1, 3), (1, 1), (3, 3), (-3, 1)])
def test_layer_axis_counts_negative_axes_from_the_end(axis, index):
    assert layer_axis(LAYER, axis, (None, 8, 8, 3)) == index


@pytest.mark.parametrize("axis, words", [(0, "batch axis"), (-4, "batch axis"), (4, "does not exist"),
                                         (-5, "does not exist")])
def test_layer_axis_rejects_the_batch_and_missing_axes(axis, words):
    with pytest.raises(ShapeError) as info:
        layer_axis(LAYER, axis, (None, 8, 8, 3))
    assert (info.value.code, info.value.field) == (Code.BAD_AXIS, "axis")
    assert words in info.value.message and "(None, 8, 8, 3)" in info.value.message
    assert "from 1 to 3" in info.value.hint
