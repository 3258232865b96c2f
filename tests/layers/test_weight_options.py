"""*_initializer, *_regularizer, *_constraint and activity_regularizer: Keras 3.15's names and config arguments."""
import pytest
from pydantic import ValidationError
from support import analyze_text

from graphspec.layers import LAYERS, Dense
from graphspec.layers.keras_objects import names
from graphspec.layers.weight_options import KerasObject, resolve

# keras.{initializers,regularizers,constraints}.ALL_OBJECTS_DICT in Keras 3.15.1, printed from Keras itself; without
# the initializers Initializer (abstract) and STFT (for STFTSpectrogram), which graphspec refuses with a reason.
KERAS = {
    "initializer": {"Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
                    "IdentityInitializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "OrthogonalInitializer",
                    "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros", "constant",
                    "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity", "lecun_normal",
                    "lecun_uniform", "normal", "one", "ones", "orthogonal", "random_normal", "random_uniform",
                    "truncated_normal", "uniform", "variance_scaling", "zero", "zeros"},
    "regularizer": {"L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "l1", "l1l2", "l2",
                    "orthogonal_regularizer", "regularizer"},
    "constraint": {"Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "constraint", "max_norm",
                   "min_max_norm", "non_neg", "unit_norm"},
}
FIELD = {"initializer": "kernel_initializer", "regularizer": "kernel_regularizer", "constraint": "kernel_constraint"}


def diagnostics(layer: str, inputs: str = "{x: {shape: [8]}}"):
    graph = analyze_text(f"graphspec: 1\ninputs: {inputs}\nlayers:\n  - {layer}\n")
    return [(d.code.value, d.column, d.message, d.hint) for d in graph.diagnostics]


@pytest.mark.parametrize("kind", sorted(KERAS))
def test_the_names_are_exactly_those_keras_accepts(kind):
    assert set(names(kind)) == KERAS[kind]


@pytest.mark.parametrize("kind, name", [(k, n) for k in sorted(KERAS) for n in sorted(KERAS[k])])
def test_every_keras_name_is_accepted(kind, name):
    field = FIELD[kind] if kind != "initializer" or name not in ("identity", "Identity", "IdentityInitializer") \
        else "bias_initializer"  # any name validates; the shape rule is checked later
    assert getattr(Dense(units=2, **{field: name}), field) == name


@pytest.mark.parametrize("name", ["Glorot_Uniform", "HE_NORMAL", "glorotuniform"])
def test_names_are_case_sensitive_as_in_keras(name):
    with pytest.raises(ValidationError):
        Dense(units=2, kernel_initializer=name)


def test_unknown_name_gets_a_did_you_mean():
    assert diagnostics("{type: Dense, units: 2, kernel_initializer: he_norml}") == [
        ("GS204", 49, "kernel_initializer: 'he_norml' is not allowed", "did you mean 'he_normal'?")]


def test_keras_2s_l1_l2_name_is_refused_as_keras_3_does():
    [(_, _, message, hint)] = diagnostics("{type: Dense, units: 2, kernel_regularizer: l1_l2}")
    assert "'l1_l2' is not allowed" in message and hint == "did you mean 'l1l2'?"


def test_unknown_class_name_points_at_it():
    [(code, column, message, hint)] = diagnostics("{type: Dense, units: 2, kernel_constraint: {class_name: MaxNrom}}")
    assert (code, column, hint) == ("GS204", 61, "did you mean 'MaxNorm'?")
    assert message == "class_name: 'MaxNrom' is not allowed"


def test_unknown_config_argument_gets_a_did_you_mean():
    [(code, _, message, hint)] = diagnostics(
        "{type: Dense, units: 2, kernel_initializer: {class_name: GlorotUniform, config: {sed: 3}}}")
    assert (code, message, hint) == ("GS204", "sed: not an argument of GlorotUniform",
                                     "did you mean 'seed'?")


def test_config_of_a_class_without_arguments():
    [(_, _, message, hint)] = diagnostics("{type: Dense, units: 2, kernel_constraint: {class_name: NonNeg, "
                                          "config: {value: 1}}}")
    assert message.endswith("value: not an argument of NonNeg") and hint == "NonNeg takes no arguments"


@pytest.mark.parametrize("config, problem", [
    ("{stddev: big}", "stddev: should be a number, got 'big'"),
    ("{stddev: true}", "stddev: should be a number, got true"),
    ("{seed: -1}", "seed: input should be greater than or equal to 0, got -1"),
    ("{seed: 1.5}", "seed: input should be a valid integer, got 1.5"),
])
def test_wrong_config_types_are_clear(config, problem):
    [(_, _, message, _)] = diagnostics(f"{{type: Dense, units: 2, kernel_initializer: {{class_name: RandomNormal, "
                                       f"config: {config}}}}}")
    assert message == problem


def test_variance_scaling_arguments_as_keras_checks_them():
    [(_, _, mode, hint), (_, _, scale, _)] = diagnostics(
        "{type: Dense, units: 2, kernel_initializer: {class_name: VarianceScaling, config: {mode: fan_inn, scale: 0}}}")
    assert "mode: 'fan_inn' is not allowed" in mode and hint == "did you mean 'fan_in'?"
    assert "scale: input should be greater than 0" in scale
    # Keras lower-cases the distribution and reads 'normal' as 'truncated_normal'
    layer = Dense(units=2, kernel_initializer={"class_name": "VarianceScaling", "config": {"distribution": "Normal"}})
    assert resolve(layer.kernel_initializer)[1].distribution == "truncated_normal"


def test_regularizer_penalties_are_non_negative():
    [(_, _, message, _)] = diagnostics("{type: Flatten, activity_regularizer: {class_name: L2, config: {l2: -1}}}",
                                       "{x: {shape: [2, 3]}}")
    assert message == "l2: input should be greater than or equal to 0, got -1"


def test_keras_saved_form_with_module_and_registered_name():
    saved = {"module": "keras.initializers", "class_name": "GlorotUniform", "registered_name": None,
             "config": {"seed": 1, "input_axes": None, "output_axes": None}}
    layer = Dense(units=2, kernel_initializer=saved)
    assert layer.kernel_initializer == KerasObject(**saved)
    # dumped as Keras saves it: without null module or registered_name, which Keras would read as a custom object's
    assert layer.model_dump()["kernel_initializer"] == {"class_name": "GlorotUniform", "module": "keras.initializers",
                                                        "config": {"seed": 1, "input_axes": None, "output_axes": None}}


@pytest.mark.parametrize("field, value, problem, hint", [
    ("bias_constraint", "{class_name: MaxNorm, module: keras.initializers}",
     "module: the module of MaxNorm is keras.constraints, got 'keras.initializers'",
     "write keras.constraints, or leave module out"),
    ("kernel_initializer", "{class_name: Zeros, registered_name: my>Zeros}",
     "registered_name: graphspec knows Keras's own initializers, not registered custom objects, got 'my>Zeros'",
     "leave registered_name out (or null) for Keras's own classes"),
    ("kernel_initializer", "{class_name: Zeros, conifg: {}}", "conifg: not a key of a Keras initializer",
     "did you mean 'config'?"),
    ("kernel_initializer", "{config: {}}", "kernel_initializer: should be a Keras initializer name or a mapping "
     "with class_name and config", "e.g. he_normal, or {class_name: HeNormal, config: {seed: 1}}"),
    ("kernel_initializer", "3", "kernel_initializer: should be a Keras initializer name or a mapping with "
     "class_name and config, got 3", "e.g. he_normal, or {class_name: HeNormal, config: {seed: 1}}"),
    ("kernel_initializer", "stft", "kernel_initializer: graphspec does not draw stft: it is Keras's initializer for "
     "the kernels of STFTSpectrogram, a layer graphspec does not have, got 'stft'", "use another Keras initializer, "
     "e.g. he_normal"),
    ("kernel_initializer", "Initializer", "kernel_initializer: graphspec does not draw Initializer: it is Keras's "
     "abstract base class, which draws nothing, got 'Initializer'", "use another Keras initializer, e.g. he_normal"),
])
def test_option_form_errors(field, value, problem, hint):
    [(code, _, message, got_hint)] = diagnostics(f"{{type: Dense, units: 2, {field}: {value}}}")
    assert (code, message, got_hint) == ("GS204", problem, hint)


def test_every_layer_takes_an_activity_regularizer():
    for cls in set(LAYERS.values()):
        assert cls.model_fields["activity_regularizer"].default is None


@pytest.mark.parametrize("layer, message", [
    ("{type: Dense, units: 4, bias_initializer: identity}",
     "bias_initializer of bias: Identity draws 2D matrices only, and this weight is (4,)"),
    ("{type: LSTM, units: 2, bias_initializer: orthogonal}",
     "bias_initializer of bias: Orthogonal needs a weight of at least two axes, and this one is (8,)"),
    ("{type: Dense, units: 4, kernel_initializer: {class_name: HeNormal, config: {input_axes: [0], output_axes: [2]}}}",
     "kernel_initializer of kernel: HeNormal's output_axes 2 is not an axis of this weight, (8, 4)"),
    # Keras ignores input_axes without output_axes, but an axis the weight lacks is a mistake either way
    ("{type: Dense, units: 4, kernel_initializer: {class_name: GlorotUniform, config: {input_axes: [5]}}}",
     "kernel_initializer of kernel: GlorotUniform's input_axes 5 is not an axis of this weight, (8, 4)"),
    # Keras raises when it first applies the constraint, after a training step
    ("{type: Dense, units: 4, kernel_constraint: {class_name: MaxNorm, config: {axis: 5}}}",
     "kernel_constraint of kernel: MaxNorm's axis 5 is not an axis of this weight, (8, 4)"),
    ("{type: Dense, units: 4, bias_constraint: {class_name: UnitNorm, config: {axis: [0, -2]}}}",
     "bias_constraint of bias: UnitNorm's axis -2 is not an axis of this weight, (4,)"),
    ("{type: LSTM, units: 2, recurrent_constraint: {class_name: MinMaxNorm, config: {axis: 2}}}",
     "recurrent_constraint of recurrent_kernel: MinMaxNorm's axis 2 is not an axis of this weight, (2, 8)"),
])
def test_initializers_keras_cannot_draw_for_a_shape_are_errors(layer, message):
    inputs = "{x: {shape: [5, 8]}}" if "LSTM" in layer else "{x: {shape: [8]}}"
    [(code, _, got, _)] = diagnostics(layer, inputs)
    assert code == "GS608" and got.endswith(message)


def test_an_axis_error_points_at_the_field_and_says_which_axes_there_are():
    [(_, column, _, hint)] = diagnostics("{type: Dense, units: 4, kernel_constraint: {class_name: MaxNorm, config: "
                                         "{axis: 5}}}")
    assert (column, hint) == (29, "its axes are 0 to 1 (or -2 to -1 from the end)")
    assert diagnostics("{type: Dense, units: 4, kernel_constraint: {class_name: MaxNorm, config: {axis: [0, -1]}}}") \
        == []


STDDEV = "a standard deviation is never negative: Keras passes it on unchecked (JAX draws as from -stddev, NumPy refuses)"
BOUNDS = " bound: Keras passes them on unchecked (JAX returns minval, torch draws between them, NumPy refuses)"


@pytest.mark.parametrize("field, value, message, hint", [
    ("kernel_initializer", "{class_name: RandomNormal, config: {stddev: -0.02}}",
     "stddev: must be >= 0 for kernel_initializer RandomNormal, got -0.02", STDDEV),
    ("kernel_initializer", "{class_name: TruncatedNormal, config: {stddev: -1}}",
     "stddev: must be >= 0 for kernel_initializer TruncatedNormal, got -1", STDDEV),
    ("bias_initializer", "{class_name: RandomUniform, config: {minval: 1, maxval: -1}}",
     "maxval: must be >= minval (1) for bias_initializer RandomUniform, got -1", "maxval is the upper" + BOUNDS),
    ("bias_initializer", "{class_name: uniform, config: {minval: 1}}",  # against the default maxval, 0.05
     "minval: must be <= maxval (0.05) for bias_initializer RandomUniform, got 1", "minval is the lower" + BOUNDS),
])
def test_initializer_arguments_nothing_can_be_drawn_from_are_refused(field, value, message, hint):
    [(code, _, got, got_hint)] = diagnostics(f"{{type: Dense, units: 2, {field}: {value}}}")
    assert (code, got, got_hint) == ("GS204", message, hint)


def test_initializer_arguments_that_draw_a_constant_are_accepted():
    for config in ({"stddev": 0}, {"mean": 3, "stddev": 0.0}):
        Dense(units=2, kernel_initializer={"class_name": "TruncatedNormal", "config": config})
    Dense(units=2, kernel_initializer={"class_name": "RandomUniform", "config": {"minval": 1, "maxval": 1}})


@pytest.mark.parametrize("layer, inputs, message", [
    ("{type: Dense, units: 2, kernel_initializer: {class_name: Constant, config: {value: [0.1, 0.2, 0.3]}}}", "[3]",
     "kernel_initializer of kernel: Constant's value has shape (3,), which does not broadcast to the shape (3, 2) "
     "Keras draws with it (value × ones(shape), lined up from the last axis)"),
    ("{type: Dense, units: 2, bias_initializer: {class_name: Constant, config: {value: [[0.1], [0.2]]}}}", "[3]",
     "bias_initializer of bias: Constant's value has shape (2, 1), which does not broadcast to the shape (2,)"),
    # unit_forget_bias: Keras draws the bias as bias_initializer((units,)) and ((2 units,)), so 8 values fail
    ("{type: LSTM, units: 2, bias_initializer: {class_name: Constant, config: {value: [1, 2, 3, 4, 5, 6, 7, 8]}}}",
     "[4, 3]", "bias_initializer of bias: Constant's value has shape (8,), which does not broadcast to the shape (2,)"),
    ("{type: LSTM, units: 2, bias_initializer: {class_name: Constant, config: {value: [0.5, -0.5]}}}",
     "[4, 3]", "bias_initializer of bias: Constant's value has shape (2,), which does not broadcast to the shape (8,)"),
])
def test_constant_arrays_that_keras_cannot_broadcast_are_errors(layer, inputs, message):
    [(code, _, got, hint)] = diagnostics(layer, "{x: {shape: %s}}" % inputs)
    assert code == "GS608" and message in got
    assert hint == "give one number, or values for the weight's last axes"


@pytest.mark.parametrize("value, problem", [("[[0.1, 2], [0.2]]", "the nested lists must form an array: rows of "
                                                                   "equal length"),
                                            ("[]", "should be a number or a non-empty array of numbers"),
                                            ("[true]", "should be a number"), ("[.inf]", "should be a finite number")])
def test_constant_value_forms(value, problem):
    [(code, _, message, _)] = diagnostics("{type: Dense, units: 2, bias_initializer: {class_name: Constant, "
                                          f"config: {{value: {value}}}}}}}")
    assert code == "GS204" and message.startswith(f"value: {problem}, got ")


def test_irregular_names_resolve_to_keras_fields():
    lstm = LAYERS["LSTM"](units=2, recurrent_initializer="identity", kernel_initializer="zeros")
    assert (lstm.initializer_for("kernel"), lstm.initializer_for("recurrent_kernel"), lstm.initializer_for("bias")) == \
        ("zeros", "identity", "zeros")
    assert lstm.unit_forget_bias is True
    conv = LAYERS["DecomposedConv2D"](filters=2, kernel_size=3, intermediate_filters=1, kernel_initializer="ones")
    assert [conv.initializer_for(w) for w in ("vertical_kernel", "horizontal_kernel", "vertical_bias",
                                          "horizontal_bias")] == ["ones", "ones", "zeros", "zeros"]
    assert LAYERS["Embedding"](input_dim=3, output_dim=2).initializer_for("embeddings") == "uniform"
