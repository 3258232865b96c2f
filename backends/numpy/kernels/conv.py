from ..ops.activation_gradients import activate_for_training
from ..ops.conv import conv
from ..ops.conv_gradients import conv_gradients
from ..ops.layout import channels_back, channels_last
from .base import Gradients, Kernel, kernel


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

    def train_forward(self, inputs, masks, training):
        layer, x = self.layer, channels_last(inputs[0], self.layer.channels_first)
        rank = x.ndim - 2
        strides, dilation = tuple(layer.strides or (1,) * rank), tuple(layer.dilation_rate or (1,) * rank)
        y, stage = train_conv(x, self.weights["kernel"], self.weights.get("bias"), strides, layer.padding, dilation,
                              layer.activation, layer.groups)

        def backward(dy):
            dx, grads = stage(channels_last(dy, layer.channels_first), training.needs(0), training.weight_grads)
            return Gradients([None if dx is None else channels_back(dx, layer.channels_first)], grads)
        return channels_back(y, layer.channels_first), backward


def train_conv(x, kernel_, bias, strides, padding, dilation, activation, groups=1):
    """A channels-last conv in training mode: (y, backward(dy, need_input, need_weights) -> (d x, {"kernel": ..,
    "bias": ..})), the conv without its activation, then the activation's chain; gradients in conv_gradients.py."""
    z = conv(x, kernel_, bias, strides, padding, dilation, groups=groups)
    y, chain = activate_for_training(z, activation)

    def backward(dy, need_input, need_weights):
        dz = chain(dy)
        dx, dkernel = conv_gradients(x, kernel_, dz, strides, padding, dilation, groups, need_input, need_weights)
        grads = {"kernel": dkernel} if need_weights else {}
        if need_weights and bias is not None:
            grads["bias"] = dz.reshape(-1, dz.shape[-1]).sum(axis=0)
        return dx, grads
    return y, backward
