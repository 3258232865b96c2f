from ..ops.conv_transpose import conv_transpose
from ..ops.layout import channels_back, channels_last
from .base import Kernel, kernel


@kernel("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose")
class ConvTransposeKernel(Kernel):
    """Keras Conv1DTranspose/2D/3D: a matmul to every tap, then a col2im scatter (ops/conv_transpose.py)."""

    def forward(self, inputs, masks):
        layer, x = self.layer, channels_last(inputs[0], self.layer.channels_first)
        y = conv_transpose(x, self.weights["kernel"], self.weights.get("bias"), layer.strides, layer.padding,
                           layer.output_padding, layer.dilation_rate, layer.activation)
        return channels_back(y, layer.channels_first)
