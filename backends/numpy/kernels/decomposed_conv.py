from ..ops.conv import conv
from .base import Kernel, kernel


@kernel("DecomposedConv2D")
class DecomposedConvKernel(Kernel):
    """DecomposeMe: a kh×1 conv, the intermediate activation, then a 1×kw conv; strides and dilation split by axis."""

    def forward(self, inputs, masks):
        layer, w = self.layer, self.weights
        (s_h, s_w), (d_h, d_w) = layer.strides, layer.dilation_rate
        vertical = conv(inputs[0], w["vertical_kernel"], w.get("vertical_bias"), (s_h, 1), layer.padding, (d_h, 1),
                        layer.intermediate_activation)
        return conv(vertical, w["horizontal_kernel"], w.get("horizontal_bias"), (1, s_w), layer.padding, (1, d_w),
                    layer.activation)
