"""Keras's `data_format`: where the channels axis of an image-like tensor is.

Layer rules are written once, channels-last; a layer with `data_format` states them on `to_last(shape)` and
returns `from_last(shape)`, and its NumPy kernel moves the axis the same way around a channels-last computation.
"""

from typing import Literal

from pydantic import BaseModel, Field

DataFormat = Literal["channels_last", "channels_first"]


class ChannelsLayout(BaseModel):
    """The `data_format` field; None is Keras's default, `keras.config.image_data_format()`: channels_last."""

    data_format: DataFormat | None = Field(None, description="channels_last (batch, ..., channels), the default, "
                                                             "or channels_first (batch, channels, ...).")

    @property
    def channels_first(self) -> bool:
        return self.data_format == "channels_first"

    @property
    def channels_axis(self) -> int:
        return 1 if self.channels_first else -1

    def to_last(self, shape: tuple) -> tuple:
        """The shape as channels-last, whichever layout the layer reads."""
        return (shape[0], *shape[2:], shape[1]) if self.channels_first else tuple(shape)

    def from_last(self, shape: tuple) -> tuple:
        """A channels-last shape in the layer's own layout."""
        return (shape[0], shape[-1], *shape[1:-1]) if self.channels_first else tuple(shape)


def to_last(layer, shape) -> tuple:
    """The shape channels-last, whether or not the layer has a data_format (without one it is channels-last)."""
    return layer.to_last(shape) if isinstance(layer, ChannelsLayout) else tuple(shape)


def from_last(layer, shape) -> tuple:
    """A channels-last shape in the layer's own layout."""
    return layer.from_last(shape) if isinstance(layer, ChannelsLayout) else tuple(shape)
