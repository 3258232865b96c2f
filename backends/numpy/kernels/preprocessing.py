import numpy as np

from graphspec.diagnostics import RunError
from graphspec.types import broadcasts_to

from ..ops.preprocessing import aspect_window, center_crop, paste, smart_resize, smart_resize_gradient
from ..ops.resize import resize, resize_gradient
from .base import Gradients, Kernel, kernel
from .images import ImageKernel, as_float


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

    def train_forward(self, inputs, masks, training):
        y = self.forward(inputs, masks)
        scale = np.asarray(self.layer.scale, y.dtype)
        return y, lambda dy: Gradients([dy * scale])


@kernel("Normalization")
class NormalizationKernel(Kernel):
    """(x − mean) / max(√variance, 1e-7), or its inverse, with mean and variance broadcast as Keras does."""

    def forward(self, inputs, masks):
        x, layer = as_float(inputs[0]), self.layer
        mean, variance = self._statistics(x.shape, x.dtype)
        std = np.maximum(np.sqrt(variance), np.asarray(1e-7, x.dtype))
        return x * std + mean if layer.invert else (x - mean) / std

    def train_forward(self, inputs, masks, training):
        """The statistics are fixed (adapted, or given): the map is affine in x."""
        x = as_float(inputs[0])
        _, variance = self._statistics(x.shape, x.dtype)
        std = np.maximum(np.sqrt(variance), np.asarray(1e-7, x.dtype))
        factor = std if self.layer.invert else 1 / std
        return self.forward(inputs, masks), lambda dy: Gradients([dy * factor])

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
class CenterCropKernel(ImageKernel):
    def forward(self, inputs, masks):
        layer = self.layer
        return _channels_last(layer, as_float(inputs[0]), lambda x: center_crop(x, layer.height, layer.width))

    def transform(self, x, rng):
        (h, w), height, width = x.shape[1:3], self.layer.height, self.layer.width
        if h < height or w < width:
            return smart_resize(x, height, width), lambda dy: smart_resize_gradient(dy, (h, w))
        top, left = (h - height) // 2, (w - width) // 2
        return x[:, top:top + height, left:left + width], lambda dy: paste(dy, (h, w), top, left)


@kernel("RandomCrop")
class RandomCropKernel(ImageKernel):
    """At inference the declared height × width: the image itself when it has that size, else smart_resize.

    While training, Keras 3.15's crop: a height × width window at one random start for the whole batch when the
    image is larger on both sides; otherwise the window of that size from the start of the central crop to the
    target's aspect ratio (cut short by the image's edge), resized bilinear to height × width."""

    def forward(self, inputs, masks):
        layer, x = self.layer, as_float(inputs[0])
        if layer.to_last(x.shape)[1:3] == (layer.height, layer.width):
            return x
        return _channels_last(layer, x, lambda x: smart_resize(x, layer.height, layer.width))

    def transform(self, x, rng):
        (h, w), height, width = x.shape[1:3], self.layer.height, self.layer.width
        if h > height and w > width:
            top, left = int(rng.uniform(0, h - height + 1)), int(rng.uniform(0, w - width + 1))
        else:
            top, left = aspect_window((h, w), height, width)[:2]
        window = x[:, top:top + height, left:left + width]
        size = window.shape[1:3]
        return resize(window, (height, width), "bilinear"), \
            lambda dy: paste(resize_gradient(dy, size, "bilinear"), (h, w), top, left)
