from ..ops.conv import conv
from .base import Kernel, kernel


@kernel("Conv1D", "Conv2D", "Conv3D")
class ConvKernel(Kernel):
    def forward(self, inputs, masks):
        layer = self.layer
        return conv(inputs[0], self.weights["kernel"], self.weights.get("bias"), layer.strides, layer.padding,
                    layer.dilation_rate, layer.activation, scratch_bytes=self.scratch_bytes(inputs[0]))
