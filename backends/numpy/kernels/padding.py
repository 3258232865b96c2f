"""ZeroPadding1D/2D/3D and Cropping1D/2D/3D on the spatial axes of either data_format; no mask goes on (Keras).

Each is the other's backward: padding's gradient is d output cropped, cropping's is d output padded with zeros."""
from ..ops.layout import spatial_axes
from ..ops.spatial import crop, zero_pad
from .base import Gradients, Kernel, kernel


@kernel("ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D")
class ZeroPaddingKernel(Kernel):
    def forward(self, inputs, masks):
        x = inputs[0]
        return zero_pad(x, self.layer.pads, spatial_axes(x.ndim, self.layer.channels_first))

    def train_forward(self, inputs, masks, training):
        axes = spatial_axes(inputs[0].ndim, self.layer.channels_first)
        return self.forward(inputs, masks), lambda dy: Gradients([crop(dy, self.layer.pads, axes).copy()])


@kernel("Cropping1D", "Cropping2D", "Cropping3D")
class CroppingKernel(Kernel):
    """A view of the input: cropping copies nothing."""

    def forward(self, inputs, masks):
        x = inputs[0]
        return crop(x, self.layer.crops, spatial_axes(x.ndim, self.layer.channels_first))

    def train_forward(self, inputs, masks, training):
        axes = spatial_axes(inputs[0].ndim, self.layer.channels_first)
        return self.forward(inputs, masks), lambda dy: Gradients([zero_pad(dy, self.layer.crops, axes)])
