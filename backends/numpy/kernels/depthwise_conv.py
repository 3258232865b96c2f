import numpy as np

from ..ops.activations import activate_inplace
from ..ops.depthwise_conv import depthwise_conv
from ..ops.layout import channels_back, channels_last
from .base import Kernel, kernel


@kernel("DepthwiseConv1D", "DepthwiseConv2D")
class DepthwiseConvKernel(Kernel):
    """Keras DepthwiseConv1D/2D: a multiply-accumulate over the taps (ops/depthwise_conv.py)."""

    def forward(self, inputs, masks):
        layer, x = self.layer, channels_last(inputs[0], self.layer.channels_first)
        y = depthwise_conv(x, self.weights["kernel"], self.weights.get("bias"), layer.strides, layer.padding,
                           layer.dilation_rate, layer.activation)
        return channels_back(y, layer.channels_first)


@kernel("SeparableConv1D", "SeparableConv2D")
class SeparableConvKernel(Kernel):
    """Keras SeparableConv1D/2D: the depthwise convolution without bias, then a 1×1 one: a matmul per position."""

    def forward(self, inputs, masks):
        layer, w, x = self.layer, self.weights, channels_last(inputs[0], self.layer.channels_first)
        maps = depthwise_conv(x, w["depthwise_kernel"], None, layer.strides, layer.padding, layer.dilation_rate)
        pointwise = w["pointwise_kernel"].reshape(maps.shape[-1], -1).astype(maps.dtype, copy=False)
        y = np.matmul(maps.reshape(-1, maps.shape[-1]), pointwise).reshape(*maps.shape[:-1], -1)
        if "bias" in w:
            y += w["bias"].astype(y.dtype, copy=False)
        return channels_back(activate_inplace(y, layer.activation), layer.channels_first)
