"""Activation and the activation layers (ReLU, LeakyReLU, ELU, PReLU, Softmax), Keras 3's formulas."""
import numpy as np

from graphspec.activations import HALVES_LAST_AXIS
from graphspec.diagnostics import RunError

from ..ops import activation_gradients as derivative
from ..ops.activation_gradients import activate_for_training
from ..ops.activations import ACTIVATION_FUNCTIONS, activate_inplace, elu, leaky_relu, relu, softmax
from .base import Gradients, Kernel, kernel

# keras/src/layers/activations/softmax.py: what a masked position becomes before the softmax.
LARGE_NEGATIVE = {np.dtype(np.float16): -3e4}
DEFAULT_LARGE_NEGATIVE = -1e9


def floats(x):
    """A float copy of the input, which the kernel may then overwrite."""
    return x.astype(x.dtype if x.dtype.kind == "f" else "float32", copy=True)


@kernel("Activation")
class ActivationKernel(Kernel):
    def forward(self, inputs, masks):
        name = self.layer.activation
        if name in HALVES_LAST_AXIS:
            return ACTIVATION_FUNCTIONS[name](floats(inputs[0]))
        return activate_inplace(floats(inputs[0]), name)

    def train_forward(self, inputs, masks, training):
        y, chain = activate_for_training(floats(inputs[0]), self.layer.activation)
        return y, lambda dy: Gradients([chain(dy)])


@kernel("ReLU")
class ReLUKernel(Kernel):
    def forward(self, inputs, masks):
        x = floats(inputs[0])
        return relu(x, x, self.layer.negative_slope, self.layer.max_value, self.layer.threshold)

    def train_forward(self, inputs, masks, training):
        x, layer = floats(inputs[0]), self.layer
        y = relu(x, None, layer.negative_slope, layer.max_value, layer.threshold)
        return y, lambda dy: Gradients([derivative.relu_general(x, y, dy, layer.negative_slope, layer.max_value,
                                                                layer.threshold)])


@kernel("LeakyReLU")
class LeakyReLUKernel(Kernel):
    def forward(self, inputs, masks):
        x = floats(inputs[0])
        return leaky_relu(x, x, self.layer.negative_slope)

    def train_forward(self, inputs, masks, training):
        x = floats(inputs[0])
        y = leaky_relu(x, None, self.layer.negative_slope)
        return y, lambda dy: Gradients([derivative.leaky_relu(x, y, dy, self.layer.negative_slope)])


@kernel("ELU")
class ELUKernel(Kernel):
    def forward(self, inputs, masks):
        x = floats(inputs[0])
        return elu(x, x, self.layer.alpha)

    def train_forward(self, inputs, masks, training):
        x = floats(inputs[0])
        y = elu(x, None, self.layer.alpha)
        return y, lambda dy: Gradients([derivative.elu(x, y, dy, self.layer.alpha)])


@kernel("PReLU")
class PReLUKernel(Kernel):
    def forward(self, inputs, masks):
        """relu(x) − alpha · relu(−x), alpha broadcast over the batch (and the shared axes, where it has size 1)."""
        x = floats(inputs[0])
        alpha = self.weights["alpha"].astype(x.dtype, copy=False)
        return np.maximum(x, 0) - alpha * np.maximum(-x, 0)

    def train_forward(self, inputs, masks, training):
        x = floats(inputs[0])
        y = self.forward([x], masks)
        alpha = self.weights["alpha"].astype(x.dtype, copy=False)
        shared = tuple(i for i in range(x.ndim) if i == 0 or alpha.shape[i - 1] == 1)

        def backward(dy):
            negative = x < 0
            grads = {"alpha": np.sum(np.where(negative, dy * x, 0), axis=shared).reshape(alpha.shape)} \
                if training.weight_grads else {}
            return Gradients([np.where(negative, dy * alpha, dy)], grads)
        return y, backward


@kernel("Softmax")
class SoftmaxKernel(Kernel):
    def forward(self, inputs, masks):
        x = floats(inputs[0])
        axes = self.layer.normalised_axes(x.shape)
        mask = masks[0]
        if mask is None:
            return softmax(x, x, axes)
        self._check_mask(x, mask)
        np.copyto(x, x.dtype.type(LARGE_NEGATIVE.get(x.dtype, DEFAULT_LARGE_NEGATIVE)), where=~mask)
        return np.where(mask, softmax(x, x, axes), x.dtype.type(0))

    def train_forward(self, inputs, masks, training):
        y, axes = self.forward(inputs, masks), self.layer.normalised_axes(inputs[0].shape)
        return y, lambda dy: Gradients([derivative.softmax(None, y, dy, axes)])

    def _check_mask(self, x, mask):
        """Keras's rule: the mask broadcasts against the input's last axes, each of its sizes 1 or the input's."""
        fits = mask.ndim <= x.ndim and all(m in (1, n) for m, n in zip(mask.shape[::-1], x.shape[::-1]))
        if not fits:
            raise RunError(f"layer '{self.name}' (Softmax): its input {x.shape} comes with a mask of shape "
                           f"{mask.shape}, which does not broadcast to it from the last axis, so Keras refuses it "
                           "too: a mask_zero mask covers the steps, where Keras's Softmax aligns it with the "
                           "features; leave mask_zero off, or let a layer that consumes the mask (an RNN, "
                           "GlobalAveragePooling1D) come before the Softmax")
