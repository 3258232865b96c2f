"""UpSampling1D/2D/3D and Resizing: sizes, interpolation names as Keras takes them, what graphspec refuses."""
import pytest
from pydantic import ValidationError

from support import analyze_text

from graphspec.layers import Resizing, UpSampling1D, UpSampling2D, UpSampling3D


def test_defaults_and_shapes():
    assert UpSampling1D().compute_output_shape((None, 7, 2)) == (None, 14, 2)
    assert UpSampling1D(size=3).compute_output_shape((None, None, 2)) == (None, None, 2)
    assert UpSampling2D().size == (2, 2) and UpSampling2D().interpolation == "nearest"
    assert UpSampling2D(size=[1, 3]).compute_output_shape((None, 5, 6, 2)) == (None, 5, 18, 2)
    assert UpSampling2D(size=[3, 2], data_format="channels_first").compute_output_shape((None, 2, 5, 6)) == \
        (None, 2, 15, 12)
    assert UpSampling3D().compute_output_shape((None, 4, 5, 3, 2)) == (None, 8, 10, 6, 2)
    assert UpSampling3D(size=[2, 1, 2], data_format="channels_first").compute_output_shape((None, 2, 4, 5, 3)) == \
        (None, 2, 8, 5, 6)


def test_keras_forms_of_size():
    assert "data_format" not in UpSampling1D.model_fields  # Keras 3's UpSampling1D has none
    for bad in ([2], 0, True, "2"):
        with pytest.raises(ValidationError):
            UpSampling1D(size=bad)
    for bad in ([2, 2, 2], 0, [1, 0]):
        with pytest.raises(ValidationError):
            UpSampling2D(size=bad)


def test_interpolation_names():
    assert UpSampling2D(interpolation="Bilinear").interpolation == "bilinear"  # Keras lower-cases it
    for name in ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"):
        assert Resizing(height=2, width=2, interpolation=name).interpolation == name
    with pytest.raises(ValidationError) as info:
        Resizing(height=2, width=2, interpolation="Bilinear")  # Resizing does not: JAX refuses it
    assert info.value.errors()[0]["type"] == "literal_error"
    for cls, fields in [(UpSampling2D, {}), (Resizing, {"height": 2, "width": 2})]:
        with pytest.raises(ValidationError) as info:
            cls(interpolation="area", **fields)
        error = info.value.errors()[0]
        assert error["type"] == "interpolation_backend" and "bilinear" in error["msg"]


def test_dtype_follows_the_computation():
    assert UpSampling2D().dtype_rule == "preserve"
    assert UpSampling2D(interpolation="bilinear").dtype_rule == "float"
    assert UpSampling3D.dtype_rule == "preserve" and Resizing.dtype_rule == "preserve"  # ints rounded back, as Keras


def test_resizing_shapes_and_fields():
    layer = Resizing(height=11, width=13)
    assert layer.compute_output_shape((None, None, None, 3)) == (None, 11, 13, 3)
    assert Resizing(height=4, width=5, data_format="channels_first").compute_output_shape((None, 3, 7, 9)) == \
        (None, 3, 4, 5)
    assert (layer.interpolation, layer.antialias, layer.fill_mode, layer.fill_value) == ("bilinear", False,
                                                                                        "constant", 0.0)
    assert (Resizing.min_rank, Resizing.max_rank) == (4, 4)
    assert layer.describe() == "11×13"
    assert Resizing(height=3, width=4, interpolation="bicubic", antialias=True).describe() == "3×4, bicubic, antialias"
    assert Resizing(height=3, width=4, interpolation="nearest", antialias=True).describe() == "3×4, nearest"
    assert "half-pixel" in layer.primitives((None, 7, 9, 3))[0].label


def test_antialias_with_nearest_is_a_warning_as_keras_ignores_it():
    graph = analyze_text("graphspec: 1\ninputs: {x: {shape: [8, 8, 3]}}\nlayers:\n  - {type: Resizing, height: 4, "
                         "width: 4, interpolation: nearest, antialias: true}\n")
    [warning] = graph.diagnostics
    assert graph.ok and (warning.code.value, warning.path, warning.column) == ("GS606", "layers[0].antialias", 67)
    assert warning.message == "antialias has no effect with interpolation nearest: Keras ignores it"
    assert warning.hint == ("leave antialias out, or choose bilinear, bicubic, lanczos3 or lanczos5 to smooth when "
                            "downsizing")
    smoothed = analyze_text("graphspec: 1\ninputs: {x: {shape: [8, 8, 3]}}\nlayers:\n  - {type: Resizing, height: 4, "
                            "width: 4, antialias: true}\n")
    assert smoothed.diagnostics == []


@pytest.mark.parametrize("field", ["crop_to_aspect_ratio", "pad_to_aspect_ratio"])
def test_aspect_ratio_options(field):
    layer = Resizing(height=2, width=3, **{field: True})
    assert getattr(layer, field) is True
    assert layer.compute_output_shape((None, 7, 9, 3)) == (None, 2, 3, 3)
    assert layer.compute_output_shape((None, None, None, 3)) == (None, 2, 3, 3)
    assert [p.name for p in layer.primitives((None, 7, 9, 3))] == [field.split("_")[0], "resize"]


def test_aspect_ratio_text():
    assert Resizing(height=2, width=3, crop_to_aspect_ratio=True).describe() == "2×3, crop to ratio"
    padded = Resizing(height=2, width=3, pad_to_aspect_ratio=True, fill_value=-1)
    assert padded.describe() == "2×3, pad to ratio"
    assert padded.primitives((None, 7, 9, 3))[0].label == "pad the short side with -1 towards aspect ratio 2 : 3"


def test_crop_and_pad_to_aspect_ratio_together_are_refused_as_keras_does():
    with pytest.raises(ValidationError) as info:
        Resizing(height=2, width=2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    error = info.value.errors()[0]
    assert (error["type"], error["loc"]) == ("aspect_ratio", ())
    assert error["msg"] == ("crop_to_aspect_ratio and pad_to_aspect_ratio are both true: Keras takes only one of "
                            "them (crop the image to the aspect ratio, or pad it)")


@pytest.mark.parametrize("fields", [{"height": 0, "width": 2}, {"height": 2}, {"height": 2, "width": 2.0},
                                    {"height": 2, "width": 2, "fill_mode": "reflect"}])
def test_resizing_field_errors(fields):
    with pytest.raises(ValidationError):
        Resizing(**fields)


def test_text():
    assert UpSampling2D(size=[1, 3]).describe() == "× 1×3"
    assert UpSampling2D(interpolation="bilinear").describe() == "× 2×2, bilinear"
    assert UpSampling1D(size=3).primitives((None, 5, 2))[0].name == "repeat"
    assert UpSampling2D(interpolation="bicubic").primitives((None, 5, 6, 2))[0].name == "resize"
