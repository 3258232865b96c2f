import pytest
from pydantic import ValidationError

from graphspec.layers import Dense, Flatten
from graphspec.layers.base import snake_case


def error(cls, **fields):
    with pytest.raises(ValidationError) as info:
        cls(**fields)
    first = info.value.errors()[0]
    return first["type"], first["loc"]


@pytest.mark.parametrize("text, shape", [("(28, 28, 1)", (28, 28, 1)), ("(20,)", (20,)), ([None, 3], (None, 3)),
                                         (" [784] ", (784,))])
def test_input_shape_accepts_lists_and_python_strings(text, shape):
    assert Flatten(input_shape=text).input_shape == shape


@pytest.mark.parametrize("value, kind", [(784, "bare_shape"), ("784", "bare_shape"), ("(28, 28", "shape_syntax"),
                                         (True, "shape_syntax")])
def test_input_shape_errors_name_the_mistake(value, kind):
    assert error(Flatten, input_shape=value) == (kind, ("input_shape",))


def test_input_shape_sizes_must_be_positive():
    assert error(Flatten, input_shape=[28, 0]) == ("greater_than", ("input_shape", 1))


def test_input_dim_is_the_one_axis_shorthand():
    layer = Dense(units=3, input_dim=784)
    assert layer.declared_input_shape() == (784,)
    assert layer.shorthand_fields() == ["input_dim"]
    assert Dense(units=3).declared_input_shape() is None


@pytest.mark.parametrize("name, snake", [("MaxPooling2D", "max_pooling2d"), ("SimpleRNN", "simple_rnn"),
                                         ("LSTM", "lstm"), ("DecomposedConv2D", "decomposed_conv2d"),
                                         ("GlobalAveragePooling1D", "global_average_pooling1d")])
def test_snake_case_follows_keras(name, snake):
    assert snake_case(name) == snake


def test_a_frozen_layer_counts_every_weight_as_non_trainable():
    assert Dense(units=10, trainable=False).count_params((None, 784)) == (0, 7850)
