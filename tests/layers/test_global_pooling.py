import pytest

from graphspec.layers import (GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
                              GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, layer_adapter)


@pytest.mark.parametrize("cls, shape, out, kept", [
    (GlobalAveragePooling1D, (None, 30, 64), (None, 64), (None, 1, 64)),
    (GlobalMaxPooling1D, (None, None, 64), (None, 64), (None, 1, 64)),
    (GlobalAveragePooling2D, (None, 7, 7, 512), (None, 512), (None, 1, 1, 512)),
    (GlobalMaxPooling2D, (None, None, None, 3), (None, 3), (None, 1, 1, 3)),
    (GlobalAveragePooling3D, (None, 4, 5, 3, 8), (None, 8), (None, 1, 1, 1, 8)),
    (GlobalMaxPooling3D, (None, None, 5, 3, 8), (None, 8), (None, 1, 1, 1, 8)),
])
def test_one_value_per_channel(cls, shape, out, kept):
    assert cls().compute_output_shape(shape) == out
    assert cls(keepdims=True).compute_output_shape(shape) == kept
    assert cls().count_params(shape) == (0, 0)
    assert (cls.min_rank, cls.max_rank) == (len(shape), len(shape))


def test_masking_follows_keras():
    assert GlobalAveragePooling1D.supports_masking
    assert not GlobalMaxPooling1D.supports_masking  # Keras 3's call takes no mask
    assert not GlobalAveragePooling2D.supports_masking


@pytest.mark.parametrize("alias, cls", [("GlobalAvgPool1D", GlobalAveragePooling1D),
                                        ("GlobalAvgPool2D", GlobalAveragePooling2D),
                                        ("GlobalMaxPool1D", GlobalMaxPooling1D),
                                        ("GlobalMaxPool2D", GlobalMaxPooling2D),
                                        ("GlobalAvgPool3D", GlobalAveragePooling3D),
                                        ("GlobalMaxPool3D", GlobalMaxPooling3D)])
def test_aliases(alias, cls):
    assert type(layer_adapter().validate_python({"type": alias})) is cls


def test_rank_hint_and_describe():
    assert "channels" in GlobalAveragePooling2D().rank_hint((None, 28, 28))
    assert GlobalAveragePooling2D(keepdims=True).describe() == "keepdims"


@pytest.mark.parametrize("cls, shape, out, kept", [
    (GlobalAveragePooling1D, (None, 64, 30), (None, 64), (None, 64, 1)),
    (GlobalMaxPooling2D, (None, 3, None, None), (None, 3), (None, 3, 1, 1)),
    (GlobalAveragePooling3D, (None, 8, 4, 5, 3), (None, 8), (None, 8, 1, 1, 1)),
])
def test_channels_first_keeps_the_channels_axis_second(cls, shape, out, kept):
    """Keras 3: channels_first reduces axes 2.. and keepdims leaves (batch, channels, 1, ...)."""
    assert cls(data_format="channels_first").compute_output_shape(shape) == out
    assert cls(data_format="channels_first", keepdims=True).compute_output_shape(shape) == kept
    assert cls(data_format="channels_first").rank_hint(shape[:-1]) is None


def test_only_the_1d_average_takes_a_mask():
    assert not GlobalAveragePooling3D.supports_masking and not GlobalMaxPooling3D.supports_masking
