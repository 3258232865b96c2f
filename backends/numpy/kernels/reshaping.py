import math

import numpy as np

from graphspec.diagnostics import RunError

from .base import Gradients, Kernel, kernel


class ReshapingKernel(Kernel):
    """Flatten and Reshape: the gradient is d output viewed in the input's shape."""

    def train_forward(self, inputs, masks, training):
        shape = inputs[0].shape
        return self.forward(inputs, masks), lambda dy: Gradients([dy.reshape(shape)])


@kernel("Flatten")
class FlattenKernel(ReshapingKernel):
    def forward(self, inputs, masks):
        x = inputs[0]  # the size is written out: reshape cannot infer a -1 from an empty batch
        return x.reshape(x.shape[0], math.prod(x.shape[1:]))


@kernel("Reshape")
class ReshapeKernel(ReshapingKernel):
    def forward(self, inputs, masks):
        x, target = inputs[0], self.layer.target_shape
        size, known = math.prod(x.shape[1:]), math.prod(d for d in target if d != -1)
        fits = size % known == 0 if -1 in target else size == known
        if not fits:
            # Only a variable-length input gets here: the checker proved every known size fits.
            raise RunError(f"layer '{self.name}' (Reshape): a sample of shape {x.shape[1:]} ({size} elements) "
                           f"does not fit target_shape {list(target)}")
        return x.reshape(x.shape[0], *(size // known if d == -1 else d for d in target))


@kernel("RepeatVector")
class RepeatVectorKernel(Kernel):
    def forward(self, inputs, masks):
        return np.repeat(inputs[0][:, np.newaxis, :], self.layer.n, axis=1)

    def train_forward(self, inputs, masks, training):
        return self.forward(inputs, masks), lambda dy: Gradients([dy.sum(axis=1)])


@kernel("Permute")
class PermuteKernel(Kernel):
    def forward(self, inputs, masks):
        return np.transpose(inputs[0], (0, *self.layer.dims))  # a view: values move only when a reader needs them

    def train_forward(self, inputs, masks, training):
        inverse = tuple(np.argsort((0, *self.layer.dims)))
        return self.forward(inputs, masks), lambda dy: Gradients([np.transpose(dy, inverse)])
