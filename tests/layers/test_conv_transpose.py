import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, ShapeError, layer_adapter


# Keras's rule (backend_utils._get_output_shape_given_tf_padding), with span = (kernel - 1) * dilation + 1:
# valid (n-1)*s + max(span, s) or + span + output_padding; same n*s or (n-1)*s + span % 2 + output_padding.
@pytest.mark.parametrize("size, kernel, strides, padding, output_padding, dilation, out", [
    (4, 3, 1, "valid", None, 1, 6), (4, 3, 2, "valid", None, 1, 9), (4, 2, 3, "valid", None, 1, 12),
    (4, 3, 2, "valid", 1, 1, 10), (4, 3, 2, "valid", 0, 1, 9), (4, 3, 3, "valid", 2, 1, 14),
    (4, 4, 2, "same", None, 1, 8), (5, 3, 3, "same", None, 1, 15), (4, 4, 2, "same", 1, 1, 7),
    (4, 3, 2, "same", 0, 1, 7), (4, 3, 1, "same", None, 2, 4), (4, 3, 1, "valid", None, 2, 8),
    (None, 3, 2, "same", None, 1, None),
])
def test_output_length_rule(size, kernel, strides, padding, output_padding, dilation, out):
    layer = Conv2DTranspose(filters=2, kernel_size=kernel, strides=strides, padding=padding,
                            output_padding=output_padding, dilation_rate=dilation)
    assert layer.compute_output_shape((None, size, size, 3)) == (None, out, out, 2)


def test_kernel_is_a_convs_with_in_and_out_swapped():
    layer = Conv2DTranspose(filters=8, kernel_size=(4, 3), strides=2, padding="same")
    assert layer.weight_shapes((None, 5, 5, 3)) == {"kernel": (4, 3, 8, 3), "bias": (8,)}
    assert layer.count_params((None, 5, 5, 3)) == (4 * 3 * 8 * 3 + 8, 0)
    assert layer.macs((None, 5, 5, 3), (None, 10, 10, 8)) == 25 * 12 * 8 * 3  # per input position
    assert Conv1DTranspose(filters=2, kernel_size=3, use_bias=False).weight_shapes((None, 7, 4)) == {"kernel": (3, 2, 4)}


@pytest.mark.parametrize("cls, shape, out, kernel", [
    (Conv1DTranspose, (None, 3, 5), (None, 2, 11), (3, 2, 3)),
    (Conv2DTranspose, (None, 3, 4, 5), (None, 2, 9, 11), (3, 3, 2, 3)),
    (Conv3DTranspose, (None, 3, 2, 3, 4), (None, 2, 5, 7, 9), (3, 3, 3, 2, 3)),
])
def test_channels_first(cls, shape, out, kernel):
    layer = cls(filters=2, kernel_size=3, strides=2, data_format="channels_first")
    assert layer.compute_output_shape(shape) == out
    assert layer.weight_shapes(shape)["kernel"] == kernel


def test_options_defaults_and_aliases():
    layer = Conv3DTranspose(filters=2, kernel_size=2)
    assert (layer.output_padding, layer.kernel_initializer, layer.bias_initializer) == (None, "glorot_uniform", "zeros")
    assert Conv1DTranspose(filters=2, kernel_size=3, strides=3, output_padding=2).output_padding == (2,)
    for alias, cls in [("Convolution1DTranspose", Conv1DTranspose), ("Convolution2DTranspose", Conv2DTranspose),
                       ("Convolution3DTranspose", Conv3DTranspose)]:
        assert type(layer_adapter().validate_python({"type": alias, "filters": 2, "kernel_size": 3})) is cls
    assert Conv2DTranspose(filters=64, kernel_size=4, activation="relu").describe() == "64 × 4×4 transposed, relu"
    assert Conv2DTranspose(filters=8, kernel_size=3, strides=2).describe() == "8 × 3×3 transposed, strides 2×2"


@pytest.mark.parametrize("fields, kind", [
    ({"strides": 2, "output_padding": 2}, "output_padding_stride"),
    ({"output_padding": 1}, "output_padding_stride"),  # strides 1: output_padding must be 0
    ({"strides": 2, "output_padding": (1, 1, 1)}, "tuple_length"),
    ({"strides": 2, "output_padding": -1}, "negative"),
    ({"padding": "causal"}, "literal_error"),
])
def test_field_errors(fields, kind):
    with pytest.raises(ValidationError) as info:
        Conv2DTranspose(filters=2, kernel_size=3, **fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"][0]) == (kind, list(fields)[-1])


def test_same_with_output_padding_can_leave_nothing():
    layer = Conv1DTranspose(filters=2, kernel_size=2, padding="same", output_padding=0)
    assert layer.compute_output_shape((None, 2, 3)) == (None, 1, 2)
    with pytest.raises(ShapeError) as info:
        layer.compute_output_shape((None, 1, 3))
    assert (info.value.code, info.value.field) == (Code.EMPTY_OUTPUT, "output_padding")


def test_strides_with_dilation_are_flagged_because_keras_refuses_them():
    advice = Conv2DTranspose(filters=2, kernel_size=3, strides=2, dilation_rate=2).advise((None, 4, 4, 3))
    assert [a.code for a in advice] == [Code.KERAS_REFUSES]


def test_primitives_project_then_scatter():
    ops = Conv2DTranspose(filters=8, kernel_size=4, strides=2, padding="same").primitives((None, 4, 4, 3))
    assert [(op.name, op.label, op.weights) for op in ops] == [
        ("project", "each input position @ kernel: 4×4 taps × 8 filters", {"kernel": (4, 4, 8, 3)}),
        ("scatter", "overlap-add the windows at strides 2×2, cropped to padding same", {}),
        ("bias", "+ bias", {"bias": (8,)})]
    ops = Conv1DTranspose(filters=2, kernel_size=3, strides=3, output_padding=2, dilation_rate=1).primitives((None, 4, 1))
    assert ops[1].label == "overlap-add the windows at strides 3, cropped to padding valid, output_padding 2"
