"""The wording of `graphspec check` for the mistakes a new user makes (a review of the messages): each test
asserts the exact diagnostic."""
import pytest

from support import analyze_text

_TWO_INPUTS = "inputs: {a: {shape: [3, 4]}, b: {shape: [3, 4]}}\n"


def diagnostics(layer: str, inputs: str = "") -> list[tuple]:
    graph = analyze_text(f"graphspec: 1\n{inputs}layers:\n  - {layer}\n")
    return [(d.code.value, d.severity.value, d.path, d.message, d.hint) for d in graph.diagnostics]


def one(layer: str, inputs: str = "") -> tuple:
    (found,) = diagnostics(layer, inputs)
    return found[2:]


@pytest.mark.parametrize("layer, message, hint", [
    ("{type: Rescaling, scale: 1/255, input_shape: [4]}", "scale: a number or a list of numbers (lists may nest), got '1/255'",
     "YAML does not compute 1/255: write 0.00392156862745098"),
    ("{type: Rescaling, scale: true, input_shape: [4]}", "scale: a number or a list of numbers (lists may nest), got true",
     "e.g. 0.5 or [0.5, 0.5]"),
    ("{type: Normalization, mean: abc, variance: 1, input_shape: [4]}",
     "mean: a number or a list of numbers (lists may nest), got 'abc'", "e.g. 0.5 or [0.5, 0.5]"),
    ("{type: Normalization, mean: true, variance: 1, input_shape: [4]}",
     "mean: a number or a list of numbers (lists may nest), got true", "e.g. 0.5 or [0.5, 0.5]"),
    ("{type: RandomRotation, factor: \"0.1\", input_shape: [8, 8, 3]}", "factor: a number or a pair of numbers, "
     "got '0.1'", "remove the quotes: factor: 0.1"),
    ("{type: RandomRotation, factor: [0.1, 0.2, 0.3], input_shape: [8, 8, 3]}",
     "factor: a number or a pair of numbers, got [0.1, 0.2, 0.3]", "e.g. 0.5 or [0.5, 0.5]"),
])
def test_a_field_of_several_forms_is_one_error_naming_the_field_and_its_forms(layer, message, hint):
    path = "layers[0]." + message.split(":")[0]
    assert one(layer) == (path, message, hint)


@pytest.mark.parametrize("axes, shown, hint", [
    ("[2, 2, 1]", "[2, 2, 1]", "e.g. 3 or [3, 3]"), ("true", "true", "e.g. 3 or [3, 3]"),
    ("[[1], [1]]", "[[1], [1]]", "e.g. 3 or [3, 3]"), ('"1"', "'1'", "remove the quotes: axes: 1"),
])
def test_dot_axes_are_one_axis_or_a_pair(axes, shown, hint):
    assert one(f"{{type: Dot, axes: {axes}, inputs: [a, b]}}", _TWO_INPUTS) == (
        "layers[0].axes", f"axes: one axis or a pair [axis of the first input, axis of the second], got {shown}",
        hint)


def test_a_bad_item_is_told_at_the_item_even_inside_a_nested_union():
    assert one("{type: Normalization, mean: [1, x], variance: [1, 1], input_shape: [2]}") == (
        "layers[0].mean[1]", "mean[1]: a number or a list of numbers (lists may nest), got 'x'",
        "e.g. 0.5 or [0.5, 0.5]")


@pytest.mark.parametrize("dims, found", [
    ("[2.0, 1.0]", [("layers[0].dims[0]", "dims[0]: input should be a valid integer, got 2.0",
                     "write 2: a whole number, without the decimal point"),
                    ("layers[0].dims[1]", "dims[1]: input should be a valid integer, got 1.0",
                     "write 1: a whole number, without the decimal point")]),
    ('["2", "1"]', [("layers[0].dims[0]", "dims[0]: input should be a valid integer, got '2'",
                     "remove the quotes around 2"),
                    ("layers[0].dims[1]", "dims[1]: input should be a valid integer, got '1'",
                     "remove the quotes around 1")]),
    ("[]", [("layers[0].dims", "dims: should have at least 1 item, got []", None)]),
    ("2", [("layers[0].dims", "dims: should be a list, got 2", None)]),
])
def test_permute_dims_is_not_called_too_short_for_its_bad_items(dims, found):
    assert [d[2:] for d in diagnostics(f"{{type: Permute, dims: {dims}, input_shape: [3, 4]}}")] == found


@pytest.mark.parametrize("layer, message, hint", [
    ("{type: Resizing, height: 4, width: 4, crop_to_aspect_ratio: true, pad_to_aspect_ratio: true, "
     "input_shape: [8, 8, 3]}", "crop_to_aspect_ratio and pad_to_aspect_ratio are both true: Keras takes only one of "
     "them (crop the image to the aspect ratio, or pad it)", None),
    ("{type: Resizing, height: 4, width: 4, interpolation: area, input_shape: [8, 8, 3]}",
     "interpolation: 'area' runs on Keras's TensorFlow backend only (JAX and torch refuse it); graphspec runs "
     "nearest, bilinear, bicubic, lanczos3, lanczos5", None),
    ("{type: Conv2D, filters: 6, kernel_size: 3, groups: 4, input_shape: [8, 8, 4]}",
     "groups: filters (6) must be divisible by groups (4), as Keras requires",
     "use a groups value that divides both filters 6 and the input's channels"),
    ("{type: UpSampling1D, size: [2, 2], input_shape: [8, 3]}",
     "size: Keras's UpSampling1D takes one whole number, not a list, got [2, 2]", None),
])
def test_a_message_that_states_the_value_gets_no_got_and_keras_keeps_its_capital(layer, message, hint):
    assert one(layer)[1:] == (message, hint)


@pytest.mark.parametrize("layer, message, hint", [
    ("{type: Conv2D, filters: 6, kernel_size: 3, data_format: false, input_shape: [8, 8, 4]}",
     "data_format: false is not one of: channels_last, channels_first",
     "write one of them, or leave data_format out for its default"),
    ("{type: Resizing, height: 4, width: 4, interpolation: true, input_shape: [8, 8, 3]}",
     "interpolation: true is not one of: nearest, bilinear, bicubic, lanczos3, lanczos5",
     "write one of them, or leave interpolation out for its default"),
])
def test_a_boolean_for_a_name_is_named_a_boolean(layer, message, hint):
    assert one(layer)[1:] == (message, hint)


@pytest.mark.parametrize("option, hint", [
    ("kernel_initializer: l2", "'l2' is a Keras regularizer: put it in kernel_regularizer"),
    ("kernel_initializer: max_norm", "'max_norm' is a Keras constraint: put it in kernel_constraint"),
    ("kernel_regularizer: glorot_uniform", "'glorot_uniform' is a Keras initializer: put it in kernel_initializer"),
    ("bias_constraint: l1", "'l1' is a Keras regularizer: put it in bias_regularizer"),
    ("kernel_initializer: {class_name: L2}", "'L2' is a Keras regularizer: put it in kernel_regularizer"),
    ('kernel_regularizer: "l2(0.01)"',
     "a spec holds Keras's saved form, not a call: write {class_name: L2, config: {l2: 0.01}}"),
    ('kernel_regularizer: "l1(0.01)"',
     "a spec holds Keras's saved form, not a call: write {class_name: L1, config: {l1: 0.01}}"),
    ('kernel_regularizer: "l1_l2(l1=0.01, l2=0.02)"',
     "a spec holds Keras's saved form, not a call: write {class_name: L1L2, config: {l1: 0.01, l2: 0.02}}"),
    ('kernel_initializer: "RandomNormal(0.0, 0.1, seed=3)"', "a spec holds Keras's saved form, not a call: write "
     "{class_name: RandomNormal, config: {mean: 0.0, stddev: 0.1, seed: 3}}"),
])
def test_a_weight_option_in_the_wrong_field_or_written_as_a_call(option, hint):
    assert one(f"{{type: Dense, units: 3, {option}, input_shape: [4]}}")[2] == hint


@pytest.mark.parametrize("layer, hint", [
    ("{type: Deconvolution2D, filters: 3, kernel_size: 3}",
     "'Deconvolution2D' is a Keras 1 type: Keras 3 writes it as type: Conv2DTranspose"),
    ("{type: Deconv2D, filters: 3, kernel_size: 3}",
     "'Deconv2D' is a Keras 2 type: Keras 3 writes it as type: Conv2DTranspose"),
    ("{type: Deconv3D, filters: 3, kernel_size: 3}",
     "'Deconv3D' is a Keras 2 type: Keras 3 writes it as type: Conv3DTranspose"),
    ("{type: AtrousConvolution1D, filters: 3, kernel_size: 3, atrous_rate: 2}",
     "'AtrousConvolution1D' is a Keras 1 type: Keras 3 writes it as type: Conv1D with dilation_rate: 2 "
     "(its atrous_rate)"),
    ("{type: AtrousConvolution2D, filters: 3, kernel_size: 3}",
     "'AtrousConvolution2D' is a Keras 1 type: Keras 3 writes it as type: Conv2D with dilation_rate (its atrous_rate)"),
    ("{type: Merge, mode: sum}", "Keras 1's Merge with mode: sum is Add in Keras 3: write type: Add"),
    ("{type: merge, mode: cos}", "Keras 1's Merge with mode: cos is Dot in Keras 3: write type: Dot with normalize: "
     "true"),
    ("{type: Merge}", "Keras 3 has a layer per Keras 1 Merge mode: Add (sum), Multiply (mul), Concatenate (concat), "
     "Average (ave), Maximum (max), Dot (dot), Dot with normalize: true (cos)"),
    ("{type: ThresholdedReLU, theta: 0.5}",
     "'ThresholdedReLU' is a Keras 2 type: Keras 3 writes it as type: ReLU with threshold: 0.5 (its theta)"),
    ("{type: experimental.preprocessing.Rescaling, scale: 0.5}",
     "write type: Rescaling: a spec names the type without its module (experimental.preprocessing)"),
    ("{type: keras.layers.Deconv2D}", "'Deconv2D' is a Keras 2 type: Keras 3 writes it as type: Conv2DTranspose"),
])
def test_keras_1_and_2_layer_types_are_named_in_keras_3(layer, hint):
    graph = analyze_text(f"graphspec: 1\ninputs: {{x: {{shape: [8, 8, 3]}}}}\nlayers:\n  - {layer}\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.hint) == ("GS201", hint)
    assert "." not in diagnostic.layer  # experimental.preprocessing.Rescaling is named rescaling


def test_keras_1_upsampling1d_length_is_size():
    assert one("{type: UpSampling1D, length: 2, input_shape: [8, 3]}")[2] == \
        "'length' is the Keras 1 name: Keras 3 calls it size"


def test_cropping_everything_says_how_much_of_what():
    assert one("{type: Cropping2D, cropping: [[4, 4], [0, 0]], input_shape: [8, 8, 3]}")[1] == \
        "cropping crops 4 + 4 of the 8 rows of the input (None, 8, 8, 3): nothing is left"


def test_leaky_relu_with_alpha_and_negative_slope_says_alpha_wins_at_the_alpha_key():
    [(code, severity, path, message, hint)] = diagnostics(
        "{type: LeakyReLU, alpha: 0.1, negative_slope: 0.2, input_shape: [4]}")
    assert (code, severity, path) == ("GS208", "warning", "layers[0].alpha")
    assert message == "both alpha (0.1) and negative_slope (0.2) are given: alpha, Keras 2's name for " \
                      "negative_slope, wins, as in Keras 3"
    assert hint == "keep one: negative_slope: 0.1, without alpha"
    assert diagnostics("{type: LeakyReLU, alpha: 0.1, input_shape: [4]}")[0][2] == "layers[0].alpha"


def test_codes_name_their_kind():
    """An initializer that cannot draw its weight is GS608 (an error); a RandomCrop Keras computes otherwise at
    inference is GS609 (a warning), not GS207 (arguments Keras refuses) or GS401 (mismatching shapes)."""
    assert [d[:2] for d in diagnostics(
        "{type: Conv2D, filters: 3, kernel_size: 3, kernel_initializer: identity, input_shape: [8, 8, 3]}")] == [
        ("GS608", "error")]
    assert [d[:2] for d in diagnostics("{type: RandomCrop, height: 4, width: 4, input_shape: [2, 2, 3]}")] == [
        ("GS609", "warning")]
