"""ZeroPadding1D/2D/3D and Cropping1D/2D/3D: every value form Keras 3 takes, the ones it refuses, data_format."""
import pytest
from pydantic import ValidationError

from graphspec.diagnostics import Code
from graphspec.types import format_shape
from graphspec.layers import (Cropping1D, Cropping2D, Cropping3D, ShapeError, ZeroPadding1D, ZeroPadding2D,
                              ZeroPadding3D, layer_adapter)


@pytest.mark.parametrize("cls, value, stored", [
    (ZeroPadding1D, 2, (2, 2)), (ZeroPadding1D, [1, 3], (1, 3)), (ZeroPadding1D, "(0, 2)", (0, 2)),
    (ZeroPadding2D, 1, ((1, 1), (1, 1))), (ZeroPadding2D, [1, 2], ((1, 1), (2, 2))),
    (ZeroPadding2D, [[0, 1], [2, 3]], ((0, 1), (2, 3))), (ZeroPadding2D, [1, [0, 2]], ((1, 1), (0, 2))),
    (ZeroPadding3D, 0, ((0, 0),) * 3), (ZeroPadding3D, [1, 0, 2], ((1, 1), (0, 0), (2, 2))),
    (ZeroPadding3D, [[0, 1], 2, [1, 0]], ((0, 1), (2, 2), (1, 0))),
])
def test_padding_forms_are_stored_as_keras_stores_them(cls, value, stored):
    assert cls(padding=value).padding == stored


@pytest.mark.parametrize("cls, value, stored", [
    (Cropping1D, 3, (3, 3)), (Cropping1D, [0, 2], (0, 2)), (Cropping2D, [2, 1], ((2, 2), (1, 1))),
    (Cropping2D, [[0, 1], 3], ((0, 1), (3, 3))), (Cropping3D, [[0, 2], [1, 0], 1], ((0, 2), (1, 0), (1, 1))),
])
def test_cropping_forms(cls, value, stored):
    assert cls(cropping=value).cropping == stored


def test_keras_defaults():
    assert ZeroPadding1D().padding == (1, 1)
    assert ZeroPadding2D().padding == ((1, 1), (1, 1))
    assert ZeroPadding3D().padding == ((1, 1),) * 3
    assert Cropping1D().cropping == (1, 1)
    assert Cropping2D().cropping == ((0, 0), (0, 0))
    assert Cropping3D().cropping == ((1, 1),) * 3
    assert ZeroPadding2D().data_format is None and not ZeroPadding2D().channels_first


@pytest.mark.parametrize("cls, value, kind", [
    (ZeroPadding1D, [[1, 2]], "pad_form"), (ZeroPadding1D, [1, 2, 3], "pad_form"), (ZeroPadding1D, -1, "pad_negative"),
    (ZeroPadding2D, [1, 2, 3], "pad_form"), (ZeroPadding2D, [[1, 2, 3], 1], "pad_form"), (ZeroPadding2D, True, "pad_form"),
    (ZeroPadding2D, 1.5, "pad_form"), (ZeroPadding2D, "same", "pad_form"), (ZeroPadding2D, [[0, -1], 1], "pad_negative"),
    (ZeroPadding3D, [1, 2], "pad_form"), (ZeroPadding3D, [[1], 1, 1], "pad_form"),
    (Cropping2D, -2, "pad_negative"), (Cropping3D, [1, [True, 1], 1], "pad_form"),
])
def test_refused_forms(cls, value, kind):
    field = "padding" if cls.__name__.startswith("Zero") else "cropping"
    with pytest.raises(ValidationError) as info:
        cls(**{field: value})
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == (kind, (field,))


def test_padding_shapes_in_both_layouts():
    assert ZeroPadding1D(padding=[1, 3]).compute_output_shape((None, 7, 2)) == (None, 11, 2)
    assert ZeroPadding1D(data_format="channels_first").compute_output_shape((None, 2, 7)) == (None, 2, 9)
    assert ZeroPadding2D(padding=[[0, 1], [2, 3]]).compute_output_shape((None, 5, 6, 2)) == (None, 6, 11, 2)
    layer = ZeroPadding2D(padding=[[0, 1], [2, 3]], data_format="channels_first")
    assert layer.compute_output_shape((None, 2, 5, 6)) == (None, 2, 6, 11)
    assert ZeroPadding3D(padding=[1, 0, 2]).compute_output_shape((None, 4, None, 3, 2)) == (None, 6, None, 7, 2)
    assert ZeroPadding3D(data_format="channels_first").compute_output_shape((None, 2, 4, 5, 3)) == (None, 2, 6, 7, 5)


def test_cropping_shapes_in_both_layouts():
    assert Cropping1D().compute_output_shape((None, 7, 2)) == (None, 5, 2)
    assert Cropping1D(cropping=[0, 2]).compute_output_shape((None, None, 2)) == (None, None, 2)
    assert Cropping2D(cropping=[[1, 2], [0, 3]]).compute_output_shape((None, 5, 6, 2)) == (None, 2, 3, 2)
    layer = Cropping2D(cropping=[[1, 0], [1, 3]], data_format="channels_first")
    assert layer.compute_output_shape((None, 2, 5, 6)) == (None, 2, 4, 2)
    assert Cropping3D(cropping=[1, 2, 0], data_format="channels_first").compute_output_shape(
        (None, 2, 4, 5, 3)) == (None, 2, 2, 1, 3)


@pytest.mark.parametrize("layer, shape, text", [
    (Cropping1D(cropping=[3, 4]), (None, 7, 2), "3 + 4 of the 7 steps"),
    (Cropping2D(cropping=[[1, 1], 0]), (None, 2, 6, 2), "1 + 1 of the 2 rows"),
    (Cropping2D(cropping=[[4, 4], [0, 0]]), (None, 8, 8, 3), "4 + 4 of the 8 rows"),
    (Cropping2D(cropping=[0, 3], data_format="channels_first"), (None, 2, 5, 6), "3 + 3 of the 6 columns"),
    (Cropping3D(), (None, 4, 5, 2, 3), "1 + 1 of the 2 columns"),
])
def test_cropping_everything_is_an_error_on_the_field(layer, shape, text):
    with pytest.raises(ShapeError) as info:
        layer.compute_output_shape(shape)
    assert (info.value.code, info.value.field) == (Code.EMPTY_OUTPUT, "cropping")
    assert info.value.message == f"cropping crops {text} of the input {format_shape(shape)}: nothing is left"


def test_no_data_format_on_cropping1d_as_in_keras():
    assert "data_format" not in Cropping1D.model_fields
    with pytest.raises(ValidationError):
        Cropping1D(data_format="channels_first")


def test_ranks_dtype_params_and_text():
    for cls, rank in [(ZeroPadding1D, 3), (ZeroPadding2D, 4), (ZeroPadding3D, 5), (Cropping1D, 3), (Cropping3D, 5)]:
        assert (cls.min_rank, cls.max_rank, cls.dtype_rule, cls.supports_masking) == (rank, rank, "preserve", False)
    assert ZeroPadding2D().count_params((None, 5, 6, 2)) == (0, 0)
    assert ZeroPadding2D(padding=[[0, 1], 2]).describe() == "pad bottom 1, 2 left and right"
    assert Cropping3D(cropping=[1, 0, 2]).describe() == "crop 1 front and back, 2 left and right"
    assert ZeroPadding2D().primitives((None, 5, 6, 2))[0].name == "pad"
    assert Cropping1D().primitives((None, 5, 2))[0].name == "crop"
    assert "[28, 28, 1]" in ZeroPadding2D().rank_hint((None, 28, 28))
    assert ZeroPadding2D(data_format="channels_first").rank_hint((None, 28, 28)) is None
    assert type(layer_adapter().validate_python({"type": "ZeroPadding3D", "padding": "(1, 2, 3)"})) is ZeroPadding3D


def test_amounts_are_drawn_as_what_each_side_loses_or_gains_not_as_a_size():
    assert Cropping2D(cropping=16).describe() == "crop 16 each side"
    assert Cropping2D(cropping=[[4, 4], [4, 4]]).describe() == "crop 4 each side"
    assert Cropping2D(cropping=[[4, 2], [0, 3]]).describe() == "crop top 4 bottom 2, right 3"
    assert Cropping3D(cropping=[0, 1, 1]).describe() == "crop 1 top and bottom, 1 left and right"
    assert Cropping1D(cropping=[0, 2]).describe() == "crop end 2"
    assert Cropping2D().describe() == "crop nothing"
    assert ZeroPadding1D().describe() == "pad 1 each end"
    assert ZeroPadding3D(padding=2).primitives((None, 4, 4, 4, 1))[0].label == "zeros added: 2 each side"
    assert Cropping2D(cropping=[1, 2]).primitives((None, 8, 8, 1))[0].label == "cut off: 1 top and bottom, 2 left and right"
