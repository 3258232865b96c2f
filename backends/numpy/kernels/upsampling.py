"""UpSampling1D/2D/3D (repeats, or UpSampling2D's interpolation) and Resizing; no mask goes on (Keras)."""
import numpy as np

from ..ops.layout import channels_back, channels_last, spatial_axes
from ..ops.preprocessing import crop_to_aspect_ratio, pad_to_aspect_ratio
from ..ops.resize import resize, resize_gradient
from ..ops.spatial import repeat, repeat_gradient
from .base import Gradients, Kernel, kernel


def resized(x, layer, size_of, antialias=False, fit=None):
    """The channels-last resize of x in the layer's layout; size_of(height, width) gives the output size, and fit
    (if given) crops or pads the channels-last images first."""
    last = channels_last(x, layer.channels_first)
    last = last if fit is None else fit(last)
    return channels_back(resize(last, size_of(*last.shape[1:3]), layer.interpolation, antialias), layer.channels_first)


@kernel("UpSampling1D", "UpSampling2D", "UpSampling3D")
class UpSamplingKernel(Kernel):
    def forward(self, inputs, masks):
        x, layer = inputs[0], self.layer
        if getattr(layer, "interpolation", "nearest") == "nearest":
            return repeat(x, layer.factors, spatial_axes(x.ndim, layer.channels_first))
        return resized(x, layer, lambda h, w: (h * layer.factors[0], w * layer.factors[1]))

    def train_forward(self, inputs, masks, training):
        """Repeats: each run of d output summed back; interpolation: the resize's weights applied back."""
        x, layer = inputs[0], self.layer
        axes = spatial_axes(x.ndim, layer.channels_first)

        def backward(dy):
            if getattr(layer, "interpolation", "nearest") == "nearest":
                return Gradients([repeat_gradient(dy, layer.factors, axes)])
            size = tuple(x.shape[a] for a in axes)
            dx = resize_gradient(channels_last(dy, layer.channels_first), size, layer.interpolation)
            return Gradients([channels_back(dx, layer.channels_first)])
        return self.forward(inputs, masks), backward


def saturate_cast(y, dtype):
    """Keras's Resizing gives integer images back in their dtype: rounded (half to even), clipped to its range."""
    if dtype.kind == "b":
        return np.clip(y, 0, 1).astype(dtype)
    limits = np.iinfo(dtype)
    return np.clip(np.round(y), limits.min, limits.max).astype(dtype)


@kernel("Resizing")
class ResizingKernel(Kernel):
    """Any input size: the weights are worked out per input size (and cached). With crop_to_aspect_ratio or
    pad_to_aspect_ratio the image is first cropped or padded towards the target's aspect ratio, as Keras does."""

    def forward(self, inputs, masks):
        layer, x = self.layer, inputs[0]
        y = resized(x if x.dtype.kind == "f" else x.astype(np.float32), layer,
                    lambda h, w: (layer.height, layer.width), layer.antialias, self._fit())
        return y if x.dtype.kind == "f" else saturate_cast(y, x.dtype)

    def _fit(self, fill_value=None):
        layer = self.layer
        if layer.crop_to_aspect_ratio:
            return lambda x: crop_to_aspect_ratio(x, layer.height, layer.width)
        if layer.pad_to_aspect_ratio:
            fill = layer.fill_value if fill_value is None else fill_value
            return lambda x: pad_to_aspect_ratio(x, layer.height, layer.width, fill)
        return None

    def train_forward(self, inputs, masks, training):
        """The resize's weights applied back; a crop or pad to the aspect ratio first is undone by where each input
        pixel went (found by fitting an image of pixel numbers: each lands once at most, or not at all)."""
        layer, x = self.layer, inputs[0]

        def backward(dy):
            if not training.needs(0):
                return Gradients([None])
            last = channels_last(x, layer.channels_first)
            numbers = np.arange(last.shape[1] * last.shape[2], dtype=np.float64).reshape(1, *last.shape[1:3], 1)
            fit = self._fit(fill_value=-1)
            placed = numbers if fit is None else fit(numbers)
            dfit = resize_gradient(channels_last(dy, layer.channels_first), placed.shape[1:3], layer.interpolation,
                                   layer.antialias)
            dx = np.zeros((last.shape[0], last.shape[1] * last.shape[2], last.shape[-1]), dy.dtype)
            kept = placed.ravel() >= 0
            dx[:, placed.ravel()[kept].astype(np.intp)] = dfit.reshape(dfit.shape[0], -1, dfit.shape[-1])[:, kept]
            return Gradients([channels_back(dx.reshape(last.shape), layer.channels_first)])
        return self.forward(inputs, masks), backward
