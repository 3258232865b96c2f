from graphspec.layers.arith import conv_transpose_crop

from ..ops.activation_gradients import activate_for_training
from ..ops.conv_gradients import transpose_gradients
from ..ops.conv_transpose import conv_transpose
from ..ops.layout import channels_back, channels_last
from .base import Gradients, Kernel, kernel


@kernel("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose")
class ConvTransposeKernel(Kernel):
    """Keras Conv1DTranspose/2D/3D: a matmul to every tap, then a col2im scatter (ops/conv_transpose.py)."""

    def forward(self, inputs, masks):
        layer, x = self.layer, channels_last(inputs[0], self.layer.channels_first)
        y = conv_transpose(x, self.weights["kernel"], self.weights.get("bias"), layer.strides, layer.padding,
                           layer.output_padding, layer.dilation_rate, layer.activation)
        return channels_back(y, layer.channels_first)

    def train_forward(self, inputs, masks, training):
        """The transposed conv without its activation, then the activation's chain; its gradients are convs."""
        layer, x, kernel_ = self.layer, channels_last(inputs[0], self.layer.channels_first), self.weights["kernel"]
        rank = x.ndim - 2
        strides, dilation = tuple(layer.strides or (1,) * rank), tuple(layer.dilation_rate or (1,) * rank)
        extra = tuple(layer.output_padding or (None,) * rank)
        crops = [conv_transpose_crop(k, s, layer.padding, p, d)
                 for k, s, p, d in zip(kernel_.shape[:-2], strides, extra, dilation)]
        z = conv_transpose(x, kernel_, self.weights.get("bias"), strides, layer.padding, layer.output_padding,
                           dilation)
        y, chain = activate_for_training(z, layer.activation)

        def backward(dy):
            dz = chain(channels_last(dy, layer.channels_first))
            dx, dkernel = transpose_gradients(x, kernel_, dz, strides, crops, dilation, training.needs(0),
                                              training.weight_grads)
            grads = {"kernel": dkernel} if training.weight_grads else {}
            if training.weight_grads and "bias" in self.weights:
                grads["bias"] = dz.reshape(-1, dz.shape[-1]).sum(axis=0)
            return Gradients([None if dx is None else channels_back(dx, layer.channels_first)], grads)
        return channels_back(y, layer.channels_first), backward
