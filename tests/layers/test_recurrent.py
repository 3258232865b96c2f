import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import GRU, LSTM, ShapeError, SimpleRNN


@pytest.mark.parametrize("layer, features, params, weights", [
    (LSTM(units=64), 100, 42_240, {"kernel": (100, 256), "recurrent_kernel": (64, 256), "bias": (256,)}),
    (GRU(units=64), 100, 31_872, {"kernel": (100, 192), "recurrent_kernel": (64, 192), "bias": (2, 192)}),
    (GRU(units=64, reset_after=False), 100, 31_680,
     {"kernel": (100, 192), "recurrent_kernel": (64, 192), "bias": (192,)}),
    (SimpleRNN(units=32), 8, 1_312, {"kernel": (8, 32), "recurrent_kernel": (32, 32), "bias": (32,)}),
    (LSTM(units=64, use_bias=False), 100, 41_984, {"kernel": (100, 256), "recurrent_kernel": (64, 256)}),
])
def test_keras_weights_and_counts(layer, features, params, weights):
    assert layer.weight_shapes((None, 30, features)) == weights
    assert layer.count_params((None, 30, features)) == (params, 0)


@pytest.mark.parametrize("cls", [SimpleRNN, LSTM, GRU])
def test_last_step_or_every_step(cls):
    assert cls(units=16).compute_output_shape((None, 30, 8)) == (None, 16)
    assert cls(units=16, return_sequences=True).compute_output_shape((None, 30, 8)) == (None, 30, 16)
    assert cls(units=16, return_sequences=True).compute_output_shape((None, None, 8)) == (None, None, 16)
    assert (cls.min_rank, cls.max_rank, cls.supports_masking) == (3, 3, True)


def test_macs_over_the_timesteps_or_per_step():
    layer = LSTM(units=64)
    assert layer.macs((None, 30, 100), (None, 64)) == 30 * 4 * 64 * (100 + 64)
    assert layer.macs((None, None, 100), (None, 64)) == 4 * 64 * (100 + 64)


def test_unknown_features():
    with pytest.raises(ShapeError) as info:
        GRU(units=8).compute_output_shape((None, 30, None))
    assert info.value.code == Code.UNKNOWN_DIMENSION


def test_rank_hints():
    assert "input_shape [100, 1]" in LSTM(units=8).rank_hint((None, 100))
    assert "Embedding" in LSTM(units=8).rank_hint((None, 100))
    assert "target_shape [-1, 1]" in LSTM(units=8).rank_hint((None, None))
    assert "target_shape [28, 28]" in GRU(units=8).rank_hint((None, 28, 28, 1))


@pytest.mark.parametrize("fields, kind, loc", [
    ({"units": 0}, "greater_than", ("units",)), ({"units": 4, "dropout": 1.0}, "less_than", ("dropout",)),
    ({"units": 4, "recurrent_dropout": -0.5}, "greater_than_equal", ("recurrent_dropout",)),
    ({"units": 4, "recurrent_activation": "htanh"}, "literal_error", ("recurrent_activation",)),
])
def test_field_errors(fields, kind, loc):
    with pytest.raises(ValidationError) as info:
        LSTM(**fields)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, loc)


def test_defaults_and_describe():
    layer = GRU(units=8)
    assert (layer.activation, layer.recurrent_activation, layer.reset_after) == ("tanh", "sigmoid", True)
    assert LSTM(units=64, return_sequences=True).describe() == "64 units, sequences"
    with pytest.raises(ValidationError):
        SimpleRNN(units=4, recurrent_activation="sigmoid")


@pytest.mark.parametrize("cls", [SimpleRNN, LSTM, GRU])
def test_recurrent_options_keep_the_shapes(cls):
    layer = cls(units=4, go_backwards=True, unroll=True, stateful=False, dropout=0.5, recurrent_dropout=0.25,
                return_sequences=True)
    assert (layer.go_backwards, layer.unroll, layer.stateful) == (True, True, False)
    assert layer.compute_output_shape((None, 7, 3)) == (None, 7, 4)
    assert layer.weight_shapes((None, 7, 3)) == cls(units=4).weight_shapes((None, 7, 3))
    defaults = cls(units=4)
    assert (defaults.go_backwards, defaults.unroll, defaults.stateful, defaults.dropout) == (False, False, False, 0.0)
    assert layer.describe() == "4 units, sequences, backwards"
    assert "last input step first" in layer.primitives((None, 7, 3))[-1].note


@pytest.mark.parametrize("cls", [SimpleRNN, LSTM, GRU])
def test_stateful_is_refused(cls):
    with pytest.raises(ValidationError) as info:
        cls(units=4, stateful=True)
    error = info.value.errors()[0]
    assert (error["type"], error["loc"]) == ("stateful", ("stateful",))
    assert "graphspec runs stateless" in error["msg"]


def test_unroll_needs_known_timesteps():
    assert LSTM(units=4, unroll=True).compute_output_shape((None, 5, 3)) == (None, 4)
    with pytest.raises(ShapeError) as info:
        LSTM(units=4, unroll=True).compute_output_shape((None, None, 3))
    assert (info.value.code, info.value.field) == (Code.UNKNOWN_DIMENSION, "unroll")
    assert GRU(units=4).compute_output_shape((None, None, 3)) == (None, 4)


@pytest.mark.parametrize("field, value", [("go_backwards", "yes"), ("unroll", 1), ("stateful", "false")])
def test_strict_booleans(field, value):
    with pytest.raises(ValidationError) as info:
        GRU(units=4, **{field: value})
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize("cls, names", [(LSTM, ["output", "state_h", "state_c"]), (GRU, ["output", "state_h"]),
                                        (SimpleRNN, ["output", "state_h"])])
def test_return_state_adds_the_last_states(cls, names):
    assert cls(units=16).output_names() == ["output"]
    layer = cls(units=16, return_state=True, return_sequences=True)
    assert layer.output_names() == names
    assert layer.compute_output_shapes((None, 30, 8)) == [(None, 30, 16)] + [(None, 16)] * (len(names) - 1)


@pytest.mark.parametrize("shapes, message, code", [
    ([(None, 30, 8), (None, 16)], "LSTM has 2 states (state_h, state_c), but initial_state gives 1", Code.INPUT_COUNT),
    ([(None, 30, 8), (None, 16), (None, 8)], "the initial state_c must be (None, 16) for 16 units, got (None, 8)",
     Code.SHAPE_MISMATCH),
    ([(None, 30, 8), (None, 16), (None, 2, 16)], "the initial state_c must be (None, 16) for 16 units, got "
     "(None, 2, 16)", Code.SHAPE_MISMATCH),
])
def test_initial_state_count_and_shapes(shapes, message, code):
    with pytest.raises(ShapeError) as caught:
        LSTM(units=16, initial_state=["h", "c"]).check_input_shapes(shapes)
    assert (caught.value.message, caught.value.code, caught.value.field) == (message, code, "initial_state")


def test_initial_state_fits():
    LSTM(units=16, initial_state=["h", "c"]).check_input_shapes([(None, 30, 8), (None, 16), (None, 16)])
    GRU(units=4, initial_state="h").check_input_shapes([(None, 30, 8), (None, 4)])
    assert GRU(units=4, initial_state="h").references() == {"initial_state": ["h"]}
