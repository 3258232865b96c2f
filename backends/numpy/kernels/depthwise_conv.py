import numpy as np

from ..ops.activation_gradients import activate_for_training
from ..ops.activations import activate_inplace
from ..ops.conv_gradients import depthwise_gradients
from ..ops.depthwise_conv import depthwise_conv
from ..ops.layout import channels_back, channels_last
from .base import Gradients, Kernel, kernel


@kernel("DepthwiseConv1D", "DepthwiseConv2D")
class DepthwiseConvKernel(Kernel):
    """Keras DepthwiseConv1D/2D: a multiply-accumulate over the taps (ops/depthwise_conv.py)."""

    def forward(self, inputs, masks):
        layer, x = self.layer, channels_last(inputs[0], self.layer.channels_first)
        y = depthwise_conv(x, self.weights["kernel"], self.weights.get("bias"), layer.strides, layer.padding,
                           layer.dilation_rate, layer.activation)
        return channels_back(y, layer.channels_first)

    def train_forward(self, inputs, masks, training):
        layer, x, kernel_ = self.layer, channels_last(inputs[0], self.layer.channels_first), self.weights["kernel"]
        z = depthwise_conv(x, kernel_, self.weights.get("bias"), layer.strides, layer.padding, layer.dilation_rate)
        y, chain = activate_for_training(z, layer.activation)

        def backward(dy):
            dz = chain(channels_last(dy, layer.channels_first))
            dx, dkernel = depthwise_gradients(x, kernel_, dz, layer.strides, layer.padding, layer.dilation_rate,
                                              training.needs(0), training.weight_grads)
            grads = {"kernel": dkernel} if training.weight_grads else {}
            if training.weight_grads and "bias" in self.weights:
                grads["bias"] = dz.reshape(-1, dz.shape[-1]).sum(axis=0)
            return Gradients([None if dx is None else channels_back(dx, layer.channels_first)], grads)
        return channels_back(y, layer.channels_first), backward


@kernel("SeparableConv1D", "SeparableConv2D")
class SeparableConvKernel(Kernel):
    """Keras SeparableConv1D/2D: the depthwise convolution without bias, then a 1×1 one: a matmul per position."""

    def forward(self, inputs, masks):
        layer, x = self.layer, channels_last(inputs[0], self.layer.channels_first)
        maps = depthwise_conv(x, self.weights["depthwise_kernel"], None, layer.strides, layer.padding,
                              layer.dilation_rate)
        return channels_back(activate_inplace(self._pointwise(maps), layer.activation), layer.channels_first)

    def _pointwise(self, maps):
        w = self.weights
        pointwise = w["pointwise_kernel"].reshape(maps.shape[-1], -1).astype(maps.dtype, copy=False)
        y = np.matmul(maps.reshape(-1, maps.shape[-1]), pointwise).reshape(*maps.shape[:-1], -1)
        if "bias" in w:
            y += w["bias"].astype(y.dtype, copy=False)
        return y

    def train_forward(self, inputs, masks, training):
        """The pointwise matmul's backward, then the depthwise one's on d maps."""
        layer, w, x = self.layer, self.weights, channels_last(inputs[0], self.layer.channels_first)
        maps = depthwise_conv(x, w["depthwise_kernel"], None, layer.strides, layer.padding, layer.dilation_rate)
        y, chain = activate_for_training(self._pointwise(maps), layer.activation)

        def backward(dy):
            dz = chain(channels_last(dy, layer.channels_first))
            flat_dz, pointwise = dz.reshape(-1, dz.shape[-1]), w["pointwise_kernel"].reshape(maps.shape[-1], -1)
            dmaps = (flat_dz @ pointwise.T).reshape(maps.shape)
            dx, ddepthwise = depthwise_gradients(x, w["depthwise_kernel"], dmaps, layer.strides, layer.padding,
                                                 layer.dilation_rate, training.needs(0), training.weight_grads)
            grads = {}
            if training.weight_grads:
                grads["depthwise_kernel"] = ddepthwise
                grads["pointwise_kernel"] = (maps.reshape(-1, maps.shape[-1]).T @ flat_dz).reshape(
                    w["pointwise_kernel"].shape)
                if "bias" in w:
                    grads["bias"] = flat_dz.sum(axis=0)
            return Gradients([None if dx is None else channels_back(dx, layer.channels_first)], grads)
        return channels_back(y, layer.channels_first), backward
