import numpy as np

from graphspec.diagnostics import RunError
from graphspec.types import broadcasts_to

from ..ops.preprocessing import center_crop, smart_resize
from .base import Kernel, kernel


def as_float(x: np.ndarray) -> np.ndarray:
    """Keras's preprocessing layers compute in float32: integer pixels are cast, floats kept."""
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def _channels_last(layer, x, crop):
    """Runs an image op written channels-last on x in the layer's data_format."""
    if not layer.channels_first:
        return crop(x)
    return np.moveaxis(crop(np.moveaxis(x, 1, -1)), -1, 1)


@kernel("Rescaling")
class RescalingKernel(Kernel):
    def forward(self, inputs, masks):
        x = as_float(inputs[0])
        scale, offset = (np.asarray(v, x.dtype) for v in (self.layer.scale, self.layer.offset))
        for field, value in (("scale", scale), ("offset", offset)):
            # only an axis of unknown size gets here: the checker proved the known ones fit
            if not broadcasts_to(value.shape, x.shape):
                raise RunError(f"layer '{self.name}' (Rescaling): {field} of shape {value.shape} does not broadcast "
                               f"to an input of shape {x.shape[1:]} (without the batch axis)")
        return x * scale + offset


@kernel("Normalization")
class NormalizationKernel(Kernel):
    """(x − mean) / max(√variance, 1e-7), or its inverse, with mean and variance broadcast as Keras does."""

    def forward(self, inputs, masks):
        x, layer = as_float(inputs[0]), self.layer
        mean, variance = self._statistics(x.shape, x.dtype)
        std = np.maximum(np.sqrt(variance), np.asarray(1e-7, x.dtype))
        return x * std + mean if layer.invert else (x - mean) / std

    def _statistics(self, shape, dtype):
        """Keras's broadcast: the spec's arrays fill the kept axes from the right; the weights span them all."""
        kept, ndim = self.layer.kept_axes(shape), len(shape)
        if self.layer.mean is None:
            values = [self.weights["mean"], self.weights["variance"]]
            rank = len(kept)
        else:
            values = [np.asarray(self.layer.mean), np.asarray(self.layer.variance)]
            rank = values[0].ndim
        expanded = [1] * ndim
        for axis, size in zip(kept[len(kept) - rank:], values[0].shape):
            expanded[axis] = size
        return [np.reshape(v, expanded).astype(dtype) for v in values]


@kernel("CenterCrop")
class CenterCropKernel(Kernel):
    def forward(self, inputs, masks):
        layer = self.layer
        return _channels_last(layer, as_float(inputs[0]), lambda x: center_crop(x, layer.height, layer.width))


@kernel("RandomCrop")
class RandomCropKernel(Kernel):
    """At inference the declared height × width: the image itself when it has that size, else smart_resize."""

    def forward(self, inputs, masks):
        layer, x = self.layer, as_float(inputs[0])
        if layer.to_last(x.shape)[1:3] == (layer.height, layer.width):
            return x
        return _channels_last(layer, x, lambda x: smart_resize(x, layer.height, layer.width))
