import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.layers import CenterCrop, Normalization, Rescaling, ShapeError
from support import analyze_text, found


def test_rescaling():
    assert Rescaling(scale=1 / 255).compute_output_shape((None, 8, 8, 3)) == (None, 8, 8, 3)
    assert Rescaling(scale=[1.0, 2.0, 3.0], offset=[0.0, 0.0, 1.0]).compute_output_shape((None, 4, 3)) == (None, 4, 3)
    assert Rescaling(scale=[2.0]).compute_output_shape((None, 4, 3)) == (None, 4, 3)
    assert Rescaling(scale=0.5).describe() == "× 0.5" and Rescaling(scale=2, offset=-1).describe() == "× 2 − 1"
    assert Rescaling(scale=1 / 127.5, offset=-1.0).describe() == "× 0.00784314 − 1"
    assert Rescaling(scale=[0.5, 0.25, 2.0], offset=[0.0, -1.0, 1.0]).describe() == "× [0.5, 0.25, 2] + [0, -1, 1]"
    assert Rescaling(scale=[1.0] * 8).describe() == "× per channel (8 values)"
    assert Rescaling.dtype_rule == "cast" and Rescaling.supports_masking
    with pytest.raises(ShapeError) as info:
        Rescaling(scale=1.0, offset=[0.1, 0.2]).compute_output_shape((None, 4, 3))
    assert (info.value.code, info.value.field) == (Code.SHAPE_MISMATCH, "offset")
    with pytest.raises(ValidationError):
        Rescaling()


@pytest.mark.parametrize("scale, shape", [([[[0.1]], [[0.2]], [[0.3]]], (None, 3, 8, 8)),
                                          ([[1.0], [2.0]], (None, 5, 2, 4)), ([[0.5, 1.0]], (None, 3, 2)),
                                          ([[2.0]], (None, 3)), ([[[1.0, 2.0]]], (None, None, None, 2)),
                                          ([[1.0, 2.0, 3.0]], (None, 4, None))])
def test_rescaling_broadcasts_arrays_as_keras(scale, shape):
    layer = Rescaling(scale=scale, offset=scale)
    assert layer.compute_output_shape(shape) == shape


@pytest.mark.parametrize("scale, shape", [([[[0.1]], [[0.2]], [[0.3]]], (None, 8, 8, 3)),
                                          ([0.1, 0.2], (None, 4, 3)), ([[[1.0]]], (None, 3)),
                                          ([[1.0], [2.0]], (None, 3)), ([[1.0]] * 2, (None, 3, 1))])
def test_rescaling_arrays_that_do_not_broadcast(scale, shape):
    with pytest.raises(ShapeError) as info:
        Rescaling(scale=scale).compute_output_shape(shape)
    assert (info.value.code, info.value.field) == (Code.SHAPE_MISMATCH, "scale")


def test_rescaling_broadcast_message():
    with pytest.raises(ShapeError) as info:
        Rescaling(scale=[[[0.1]], [[0.2]], [[0.3]]]).compute_output_shape((None, 8, 8, 3))
    assert str(info.value).startswith("Rescaling scale has shape (3, 1, 1), which does not broadcast to the input "
                                      "(None, 8, 8, 3): its axes line up with the input's last ones, each of size 1 "
                                      "or the input's")
    assert Rescaling(scale=[[[0.1]], [[0.2]]], offset=[1.0, 2.0]).describe() == "× array (2, 1, 1) + [1, 2]"
    with pytest.raises(ValidationError):
        Rescaling(scale=[[1.0, 2.0], [3.0]])


def test_integer_pixels_are_cast_without_a_warning():
    graph = analyze_text("""graphspec: 1
inputs: {x: {shape: [4, 4, 3], dtype: int32}}
layers:
  - {type: Rescaling, scale: 0.5}
  - {type: Dense, units: 2}
""")
    assert found(graph) == [] and str(graph["rescaling"].output.dtype) == "float32"


@pytest.mark.parametrize("fields, shape, weights", [
    ({}, (None, 5, 3), {"mean": (3,), "variance": (3,), "count": ()}),
    ({"axis": [1, -1]}, (None, 5, 3), {"mean": (5, 3), "variance": (5, 3), "count": ()}),
    ({"axis": [-1, 1]}, (None, 5, 3), {"mean": (5, 3), "variance": (5, 3), "count": ()}),  # sorted, as in Keras
    ({"axis": None}, (None, 5, 3), {"mean": (), "variance": (), "count": ()}),
    ({"mean": 1.0, "variance": 2.0}, (None, 5, 3), {}),
    ({"mean": [1, 2, 3], "variance": [1, 1, 1]}, (None, 5, 3), {}),
    ({"mean": [[1], [2]], "variance": [[1], [1]], "axis": [1, 2]}, (None, 2, 3), {}),
])
def test_normalization_forms(fields, shape, weights):
    layer = Normalization(**fields)
    assert layer.compute_output_shape(shape) == shape and layer.weight_shapes(shape) == weights
    total = sum(__import__("math").prod(s) for s in weights.values())
    assert layer.count_params(shape) == (0, total)  # mean, variance and count never train


def test_normalization_mean_and_variance_of_different_shapes_are_refused_as_keras_does():
    """Keras 3.15 raises "`mean` and `variance` must have the same shape" for mean [1, 2, 3] with variance 1.0."""
    graph = analyze_text("""graphspec: 1
inputs: {x: {shape: [3]}}
layers:
  - {type: Normalization, mean: [1, 2, 3], variance: 1.0}
""")
    [diagnostic] = graph.diagnostics
    assert (diagnostic.code, diagnostic.path) == (Code.INVALID_VALUE, "layers[0]")
    assert diagnostic.message.startswith("mean has shape (3,) but variance (): Keras requires the same shape for "
                                         "both (it does not broadcast one to the other)")
    assert diagnostic.hint == "write both as numbers, or both as arrays of one shape (e.g. variance: [1.0, 1.0, 1.0])"


@pytest.mark.parametrize("fields, kind", [({"mean": 1.0}, "mean_and_variance"), ({"variance": 1.0}, "mean_and_variance"),
                                          ({"mean": [1, 2], "variance": [1]}, "mean_shape"),
                                          ({"mean": [[1]], "variance": [[1]]}, "mean_rank"),
                                          ({"mean": [[1, 2], [3]], "variance": 1.0}, "ragged")])
def test_normalization_statistics_as_keras_checks_them(fields, kind):
    with pytest.raises(ValidationError) as info:
        Normalization(**fields)
    assert info.value.errors()[0]["type"] == kind


VARIANCE_HINT = "a variance is never negative: Keras would divide by its square root and output NaN"
FINITE_HINT = "a number beyond float64, like 1e400, reads as inf; Keras would output inf or NaN"


@pytest.mark.parametrize("fields, column, message, hint", [  # Keras takes each and outputs NaN or inf
    ("mean: 0.5, variance: -1.0", 48, "variance: must be >= 0, got -1.0", VARIANCE_HINT),
    ("mean: [1.0, 2.0, 3.0], variance: [1.0, -2.0, 0.0]", 60,
     "variance: must be >= 0, but item [1] is -2, got [1.0, -2.0, 0.0]", VARIANCE_HINT),
    ("mean: 1e400, variance: 1.0", 33, "mean: should be finite, got inf", FINITE_HINT),
    ("mean: 0.0, variance: -.inf", 48, "variance: should be finite, got -inf", FINITE_HINT),
    ("mean: [[1.0, .nan]], variance: [[1.0, 1.0]], axis: [1, 2]", 33,
     "mean: should be finite, but item [0, 1] is nan, got [[1.0, nan]]", FINITE_HINT),
])
def test_normalization_statistics_that_give_nan_are_refused(fields, column, message, hint):
    inputs = "[2, 3]" if "axis" in fields else "[3]"
    graph = analyze_text(f"graphspec: 1\ninputs: {{x: {{shape: {inputs}}}}}\nlayers:\n"
                         f"  - {{type: Normalization, {fields}}}\n")
    [diagnostic] = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.column, diagnostic.message, diagnostic.hint) == \
        ("GS204", column, message, hint)


def test_normalization_of_zero_variance_is_accepted():
    assert Normalization(mean=1.0, variance=0.0).variance == 0.0  # Keras floors its square root at 1e-7


@pytest.mark.parametrize("fields, shape, code", [
    ({"mean": [1, 2], "variance": [1, 2]}, (None, 5, 3), Code.SHAPE_MISMATCH),
    ({"axis": 0}, (None, 5, 3), Code.BAD_AXIS),
    ({"axis": [1, -2]}, (None, 5, 3), Code.BAD_AXIS),
    ({"axis": 1}, (None, None, 3), Code.UNKNOWN_DIMENSION),
])
def test_normalization_shape_errors(fields, shape, code):
    with pytest.raises(ShapeError) as info:
        Normalization(**fields).compute_output_shape(shape)
    assert info.value.code == code


def test_center_crop():
    assert CenterCrop(height=4, width=6).compute_output_shape((None, 8, 8, 3)) == (None, 4, 6, 3)
    assert CenterCrop(height=4, width=6).compute_output_shape((None, 2, None, 3)) == (None, 4, 6, 3)  # resized
    first = CenterCrop(height=4, width=6, data_format="channels_first")
    assert first.compute_output_shape((None, 3, 8, 8)) == (None, 3, 4, 6)
    assert (CenterCrop.min_rank, CenterCrop.max_rank, CenterCrop.dtype_rule) == (4, 4, "cast")
    assert CenterCrop(height=4, width=6).describe() == "4×6"
    assert [(op.label, op.note) for op in CenterCrop(height=4, width=6).primitives((None, 8, 8, 3))] == [
        ("central 4×6", None)]  # large enough: nothing is resized
    assert [(op.label, op.note) for op in first.primitives((None, 3, 2, 8))] == [
        ("largest central crop of 4×6's aspect ratio, resized to 4×6",
         "the input 2×8 is smaller than 4×6: Keras's smart_resize, bilinear")]
    assert CenterCrop(height=4, width=6).primitives((None, None, None, 3))[0].note == (
        "an image smaller on either side is cropped to that aspect ratio and resized, bilinear")
    with pytest.raises(ValidationError):
        CenterCrop(height=0, width=6)
