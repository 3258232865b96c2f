from ..ops.conv import conv
from ..ops.layout import channels_back, channels_last
from .base import Kernel, kernel


@kernel("Conv1D", "Conv2D", "Conv3D")
class ConvKernel(Kernel):
    """Keras Conv1D/2D/3D: groups as one batched matmul per block, channels_first around the channels-last conv."""

    @property
    def fuses_max_pooling(self) -> bool:
        """A following max pooling may run inside the conv (fusion.py): the channels-last, ungrouped conv only."""
        return self.layer.groups == 1 and not self.layer.channels_first

    def forward(self, inputs, masks):
        layer, x = self.layer, channels_last(inputs[0], self.layer.channels_first)
        y = conv(x, self.weights["kernel"], self.weights.get("bias"), layer.strides, layer.padding,
                 layer.dilation_rate, layer.activation, scratch_bytes=self.scratch_bytes(x), groups=layer.groups)
        return channels_back(y, layer.channels_first)
