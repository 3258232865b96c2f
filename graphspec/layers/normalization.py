"""BatchNormalization and LayerNormalization: a learned scale (gamma) and shift (beta) per normalised position."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, StrictFloat, StrictInt
from pydantic_core import PydanticCustomError

from ..diagnostics import Code
from ..types import format_shape
from .axis import layer_axis
from .base import Layer, ShapeError, known_product, register, require_known
from .primitives import Primitive, bias, pick
from .weight_options import InitializerOption, weight_options

# Keras's scale and shift options, shared by every normalisation layer with gamma and beta.
ScaleAndShift = (weight_options("beta", "zeros"), weight_options("gamma", "ones"))


def _scale_and_shift(layer, shape: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    return ({"gamma": shape} if layer.scale else {}) | ({"beta": shape} if layer.center else {})


def _affine(weights: dict[str, tuple[int, ...]]) -> list[Primitive]:
    """The learned part, for the diagram: × gamma then + beta, each unless `scale` or `center` is off."""
    scale = [Primitive("scale", "× gamma", pick(weights, "gamma"))] if "gamma" in weights else []
    return scale + bias(weights, "beta", "shift")


def distinct_axes(layer, axes: list[int], input_shape) -> list[int]:
    """The indices of a layer's `axis` list into `input_shape`: each an axis of the input, none the batch, none twice."""
    indices = [layer_axis(layer, axis, input_shape) for axis in axes]
    if len(set(indices)) < len(indices):
        raise ShapeError(f"{layer.kind} axis {layer.axis} names one axis of {format_shape(input_shape)} twice",
                         "list each axis once", Code.BAD_AXIS, "axis")
    return indices


def _elements(input_shape) -> int:
    """At inference the statistics fold into one multiply-add per element (the scale and the shift)."""
    return known_product(input_shape[1:])


def _one_axis(value: int | list[int]) -> int | list[int]:
    if isinstance(value, list) and len(value) != 1:
        raise PydanticCustomError("batch_norm_axes", "one axis only: Keras 3's BatchNormalization normalises the "
                                  "channels; write it as an int, or as a list of one as Keras 2 saved it")
    return value


@register
class BatchNormalization(Layer, *ScaleAndShift):
    """keras.layers.BatchNormalization: normalises each channel of `axis` with statistics over the batch.
    `axis: [1]`, as Keras 2 saved channels_first models, is axis 1, as Keras 3 reads those files."""

    supports_masking = True
    non_trainable_weights = frozenset({"moving_mean", "moving_variance"})

    type: Literal["BatchNormalization"] = "BatchNormalization"
    axis: Annotated[StrictInt | list[StrictInt], AfterValidator(_one_axis)] = Field(
        -1, description="The axis of the features (channels) to normalise each of: -1, or 1 for channels_first.")
    momentum: StrictFloat = Field(0.99, ge=0, le=1)
    epsilon: StrictFloat = Field(1e-3, gt=0)
    center: StrictBool = True
    scale: StrictBool = True
    # Keras gives the moving statistics an initializer only: training never regularises or constrains them.
    moving_mean_initializer: InitializerOption = Field("zeros", description="How moving_mean starts (a Keras initializer).")
    moving_variance_initializer: InitializerOption = Field("ones", description="How moving_variance starts (a Keras initializer).")

    @property
    def channel_axis(self) -> int:
        """The one axis normalised, as an int (Keras 2's list of one unwrapped)."""
        return self.axis[0] if isinstance(self.axis, list) else self.axis

    def compute_output_shape(self, input_shape):
        axis = layer_axis(self, self.channel_axis, input_shape)
        require_known(input_shape, axis, f"axis {self.channel_axis} (the axis BatchNormalization normalises)")
        return input_shape

    def weight_shapes(self, input_shape):
        shape = (input_shape[self.channel_axis],)
        return _scale_and_shift(self, shape) | {"moving_mean": shape, "moving_variance": shape}

    def weight_problem(self, weights):
        low = [i for i, v in enumerate(weights["moving_variance"]) if not v + self.epsilon > 0]
        if not low:
            return None
        return "moving_variance", (f"channel {low[0]} holds {weights['moving_variance'][low[0]]:g}: moving_variance + "
                                   f"epsilon ({self.epsilon:g}) must be positive, or that channel's outputs are NaN")

    def macs(self, input_shape, output_shape):
        return _elements(input_shape)

    def primitives(self, input_shape):
        weights = self.weight_shapes(input_shape)
        normalise = Primitive("normalise", f"(x − moving_mean) / √(moving_variance + {self.epsilon:g})",
                              pick(weights, "moving_mean", "moving_variance"),
                              note="at inference; training uses the batch's statistics and updates these")
        return [normalise, *_affine(weights)]


@register
class LayerNormalization(Layer, *ScaleAndShift):
    """keras.layers.LayerNormalization: normalises each sample over `axis` (by default its features)."""

    supports_masking = True

    type: Literal["LayerNormalization"] = "LayerNormalization"
    axis: StrictInt | Annotated[list[StrictInt], Field(min_length=1)] = Field(
        -1, description="The axis or axes to normalise over; gamma and beta span them.")
    epsilon: StrictFloat = Field(1e-3, gt=0)
    center: StrictBool = True
    scale: StrictBool = True

    def _axes(self) -> list[int]:
        return self.axis if isinstance(self.axis, list) else [self.axis]

    def compute_output_shape(self, input_shape):
        indices = distinct_axes(self, self._axes(), input_shape)
        for axis, index in zip(self._axes(), indices):
            require_known(input_shape, index, f"axis {axis} (an axis LayerNormalization normalises)")
        return input_shape

    def weight_shapes(self, input_shape):
        """gamma and beta span the normalised axes in Keras's order: sorted by the values written, before negative
        axes are resolved, so [1, -2] spans axis -2, then axis 1."""
        return _scale_and_shift(self, tuple(input_shape[axis] for axis in sorted(self._axes())))

    def macs(self, input_shape, output_shape):
        return _elements(input_shape)

    def primitives(self, input_shape):
        normalise = Primitive("normalise", f"(x − mean) / √(variance + {self.epsilon:g})",
                              note=f"mean and variance of each sample over axis {self.axis}")
        return [normalise, *_affine(self.weight_shapes(input_shape))]
