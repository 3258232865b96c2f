from ..ops.conv import conv
from .base import Gradients, Kernel, kernel
from .conv import train_conv


@kernel("DecomposedConv2D")
class DecomposedConvKernel(Kernel):
    """DecomposeMe: a kh×1 conv, the intermediate activation, then a 1×kw conv; strides and dilation split by axis."""

    def vertical(self, x):
        layer, w = self.layer, self.weights
        return conv(x, w["vertical_kernel"], w.get("vertical_bias"), (layer.strides[0], 1), layer.padding,
                    (layer.dilation_rate[0], 1), layer.intermediate_activation, scratch_bytes=self.scratch_bytes(x))

    def horizontal(self, z, out=None, pool=None):
        """The 1×kw stage; `pool` fuses a following max pooling (fusion.py)."""
        layer, w = self.layer, self.weights
        return conv(z, w["horizontal_kernel"], w.get("horizontal_bias"), (1, layer.strides[1]), layer.padding,
                    (1, layer.dilation_rate[1]), layer.activation, out=out, pool=pool,
                    scratch_bytes=self.scratch_bytes(z))

    def forward(self, inputs, masks):
        return self.horizontal(self.vertical(inputs[0]))

    def train_forward(self, inputs, masks, training):
        """Each stage a conv in training mode; the horizontal stage's d input is the vertical stage's d output."""
        layer, w = self.layer, self.weights
        z, vertical = train_conv(inputs[0], w["vertical_kernel"], w.get("vertical_bias"), (layer.strides[0], 1),
                                 layer.padding, (layer.dilation_rate[0], 1), layer.intermediate_activation)
        y, horizontal = train_conv(z, w["horizontal_kernel"], w.get("horizontal_bias"), (1, layer.strides[1]),
                                   layer.padding, (1, layer.dilation_rate[1]), layer.activation)

        def backward(dy):
            dz, second = horizontal(dy, True, training.weight_grads)
            dx, first = vertical(dz, training.needs(0), training.weight_grads)
            grads = {f"vertical_{name}": g for name, g in first.items()}
            return Gradients([dx], grads | {f"horizontal_{name}": g for name, g in second.items()})
        return y, backward
