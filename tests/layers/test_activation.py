import math

import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import ELU, Activation, LeakyReLU, PReLU, ReLU, ShapeError, Softmax, layer_adapter


def test_element_by_element():
    layer = Activation(activation="softmax")
    assert layer.compute_output_shape((None, None, 10)) == (None, None, 10)
    assert layer.count_params((None, 10)) == (0, 0)
    assert layer.describe() == "softmax"
    assert Activation.supports_masking


def test_null_is_linear_as_in_keras():
    assert Activation(activation=None).describe() == "linear"


@pytest.mark.parametrize("fields, kind", [({}, "missing"), ({"activation": "ReLU"}, "literal_error")])
def test_activation_errors(fields, kind):
    with pytest.raises(ValidationError) as info:
        Activation(**fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, ("activation",))


def test_glu_halves_the_last_axis():
    layer = Activation(activation="glu")
    assert layer.compute_output_shape((None, 3, 8)) == (None, 3, 4)
    assert layer.compute_output_shape((None, None)) == (None, None)
    with pytest.raises(ShapeError) as info:
        layer.compute_output_shape((None, 7))
    assert (info.value.code, info.value.field) == (Code.SHAPE_MISMATCH, "activation")
    assert "odd 7 features" in info.value.message


@pytest.mark.parametrize("layer", [{"type": "Dense", "units": 8}, {"type": "Conv1D", "filters": 4, "kernel_size": 3},
                                   {"type": "LSTM", "units": 4}])
def test_glu_is_refused_where_keras_keeps_the_shape(layer):
    """Keras's Dense(8, activation='glu') says (None, 8) and returns 4 features: the next layer then fails."""
    with pytest.raises(ValidationError) as info:
        layer_adapter().validate_python({**layer, "activation": "glu"})
    error = info.value.errors()[0]
    assert error["type"] == "activation_refused" and "Activation layer with glu after it" in error["msg"]


@pytest.mark.parametrize("spec", [{"type": "Activation", "activation": "threshold"},
                                  {"type": "Dense", "units": 3, "activation": "threshold"}])
def test_threshold_is_refused_as_keras_cannot_call_it_by_name(spec):
    with pytest.raises(ValidationError) as info:
        layer_adapter().validate_python(spec)
    assert "use a ReLU layer with threshold" in info.value.errors()[0]["msg"]


def test_every_keras_name_is_known():
    for name in ("hard_swish", "hard_silu", "celu", "sparsemax", "squareplus", "log_sigmoid", "sparse_sigmoid"):
        assert Activation(activation=name).describe() == name


def test_relu_fields_and_describe():
    assert ReLU().describe() == ""
    layer = ReLU(max_value=6, negative_slope=0.1, threshold=0.5)
    assert layer.describe() == "max_value 6, negative_slope 0.1, threshold 0.5"
    assert layer.primitives((None, 3))[0].label == "min(x if x > 0.5 else 0, 6) − 0.1 · max(0.5 − x, 0)"
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 4) and ReLU.supports_masking


@pytest.mark.parametrize("field", ["max_value", "negative_slope", "threshold"])
def test_relu_refuses_negative_values_as_keras_does(field):
    with pytest.raises(ValidationError) as info:
        ReLU(**{field: -1.0})
    assert info.value.errors()[0]["loc"] == (field,)


def test_leaky_relu_defaults_and_keras2_alpha():
    assert LeakyReLU().negative_slope == 0.3 and LeakyReLU().advise((None, 3)) == []
    layer = LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1 and layer.describe() == "negative_slope 0.1"
    [advice] = layer.advise((None, 3))
    assert advice.code == Code.DEPRECATED_FIELD and advice.hint == "write negative_slope: 0.1"
    assert LeakyReLU(alpha=0.1, negative_slope=0.5).negative_slope == 0.1  # Keras: alpha wins
    with pytest.raises(ValidationError):
        LeakyReLU(alpha=-1.0)


def test_elu():
    assert ELU().alpha == 1.0 and ELU(alpha=0.5).describe() == "alpha 0.5"


@pytest.mark.parametrize("shared_axes, shape, weight", [
    (None, (None, 8, 8, 3), (8, 8, 3)), ([1, 2], (None, 8, 8, 3), (1, 1, 3)), (1, (None, None, 4), (1, 4)),
    ([2], (None, 5, 4), (5, 1)),
])
def test_prelu_weight_is_one_slope_per_element_but_the_shared_axes(shared_axes, shape, weight):
    layer = PReLU(shared_axes=shared_axes)
    assert layer.compute_output_shape(shape) == shape
    assert layer.weight_shapes(shape) == {"alpha": weight}
    assert layer.count_params(shape) == (math.prod(weight), 0)
    assert (layer.alpha_initializer, layer.alpha_regularizer, layer.alpha_constraint) == ("zeros", None, None)


@pytest.mark.parametrize("shared_axes, shape, code", [
    (0, (None, 4), Code.BAD_AXIS), ([-1], (None, 3, 4), Code.BAD_AXIS), ([3], (None, 3, 4), Code.BAD_AXIS),
    (None, (None, None, 4), Code.UNKNOWN_DIMENSION),
])
def test_prelu_errors(shared_axes, shape, code):
    with pytest.raises(ShapeError) as info:
        PReLU(shared_axes=shared_axes).compute_output_shape(shape)
    assert (info.value.code, info.value.field) == (code, "shared_axes")


@pytest.mark.parametrize("axis, describe", [(-1, "axis -1"), (1, "axis 1"), ([1, 2], "axes 1, 2")])
def test_softmax_axes(axis, describe):
    layer = Softmax(axis=axis)
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 4) and layer.describe() == describe


@pytest.mark.parametrize("axis", [0, 3, [1, -2], [1, 0]])
def test_softmax_bad_axes(axis):
    with pytest.raises(ShapeError) as info:
        Softmax(axis=axis).compute_output_shape((None, 3, 4))
    assert (info.value.code, info.value.field) == (Code.BAD_AXIS, "axis")


def test_softmax_axis_list_may_not_be_empty():
    with pytest.raises(ValidationError):
        Softmax(axis=[])
