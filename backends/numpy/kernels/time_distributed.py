"""keras.layers.TimeDistributed: the steps folded into the batch, the wrapped layer's kernel run once on all of them,
and unfolded, so there is no loop over time."""
from __future__ import annotations

from .base import KERNELS, Gradients, Kernel, kernel


@kernel("TimeDistributed")
class TimeDistributedKernel(Kernel):
    """The wrapped layer sees no mask: Keras hands it the mask only if its call reads one, and the layers that do
    read a (batch, steps) mask, which one step of the wrapper's (batch, timesteps) mask is not. The wrapper passes its
    input's mask on, as Keras's does."""

    def __init__(self, name, layer, weights, scratch_per_sample=None):
        super().__init__(name, layer, weights, scratch_per_sample)
        self.inner = KERNELS[layer.layer.kind](name, layer.layer, weights, scratch_per_sample)

    @classmethod
    def initial_weights(cls, layer, shapes, rng, base_dir):
        """The wrapped layer's, drawn as its kernel draws them (LSTM's unit_forget_bias, a pretrained table...)."""
        return KERNELS[layer.layer.kind].initial_weights(layer.layer, shapes, rng, base_dir)

    def forward(self, inputs, masks):
        x = inputs[0]
        batch, steps = x.shape[:2]
        y = self.inner.forward([x.reshape(batch * steps, *x.shape[2:])], [None])
        return y.reshape(batch, steps, *y.shape[1:])

    def train_forward(self, inputs, masks, training):
        """The wrapped kernel's training forward on the folded steps (its weights are the wrapper's, and so are
        its Training's updates); its backward on the folded gradient, unfolded."""
        x = inputs[0]
        batch, steps = x.shape[:2]
        y, inner_backward = self.inner.train_forward([x.reshape(batch * steps, *x.shape[2:])], [None], training)

        def backward(dy):
            grads = inner_backward(dy.reshape(batch * steps, *dy.shape[2:]))
            dx = grads.inputs[0]
            return Gradients([None if dx is None else dx.reshape(x.shape)], grads.weights)
        return y.reshape(batch, steps, *y.shape[1:]), backward

    def output_mask(self, inputs, masks):
        return masks[0]
