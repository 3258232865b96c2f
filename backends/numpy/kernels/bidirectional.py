"""keras.layers.Bidirectional: the forward and backward recurrent layers on the same input and mask, merged."""
from __future__ import annotations

import numpy as np

from .base import KERNELS, Gradients, Kernel, Training, kernel

MERGE_BACKWARD = {"concat": lambda d, y, y_rev: np.split(d, [y.shape[-1]], axis=-1), "sum": lambda d, y, y_rev: (d, d),
                  "mul": lambda d, y, y_rev: (d * y_rev, d * y), "ave": lambda d, y, y_rev: (d / 2, d / 2)}
MERGE = {"concat": lambda y, y_rev: np.concatenate([y, y_rev], axis=-1), "sum": np.add, "mul": np.multiply,
         "ave": lambda y, y_rev: (y + y_rev) / 2}


def _unprefixed(weights: dict, prefix: str) -> dict:
    return {w[len(prefix):]: a for w, a in weights.items() if w.startswith(prefix)}


@kernel("Bidirectional")
class BidirectionalKernel(Kernel):
    """As Keras 3: with return_sequences, each direction's outputs at masked steps are zeros (Keras forces
    zero_output_for_mask there), and the backward outputs are flipped back to the input's order before merging;
    the input's mask is passed on with return_sequences, as Keras's compute_mask does."""

    def __init__(self, name, layer, weights, scratch_per_sample=None):
        super().__init__(name, layer, weights, scratch_per_sample)
        self.prefixes = list(layer.directions())
        self.directions = [KERNELS[inner.kind](name, inner, _unprefixed(weights, prefix), scratch_per_sample)
                           for prefix, inner in layer.directions().items()]

    @classmethod
    def initial_weights(cls, layer, shapes, rng, base_dir):
        """The forward layer's, then the backward layer's, each drawn as its own kernel draws it."""
        weights = {}
        for prefix, inner in layer.directions().items():
            drawn = KERNELS[inner.kind].initial_weights(inner, _unprefixed(shapes, prefix), rng, base_dir)
            weights |= {prefix + w: a for w, a in drawn.items()}
        return weights

    def forward(self, inputs, masks):
        """As Keras's call: initial_state split in half between the directions; merge_mode null gives both outputs;
        return_state follows them with the forward layer's last states, then the backward layer's."""
        sequence, states = inputs[0], inputs[1:]
        half = len(states) // 2
        (y, *ahead), (y_rev, *behind) = (self._direction(kernel, [sequence, *part], masks)
                                         for kernel, part in zip(self.directions, (states[:half], states[half:])))
        if self.layer.return_sequences:
            y_rev = y_rev[:, ::-1]
        heads = (y, y_rev) if self.layer.merge_mode is None else (MERGE[self.layer.merge_mode](y, y_rev),)
        outputs = (*heads, *ahead, *behind)
        return outputs if len(outputs) > 1 else outputs[0]

    def train_forward(self, inputs, masks, training):
        """Each direction's training forward and backward (weights under its prefix), the merge's backward between,
        the input gradients of the two directions added."""
        runs = [self._train_direction(kernel, inputs, masks, training) for kernel in self.directions]
        (y, forward_back), (y_rev, backward_back) = runs
        flip = self.layer.return_sequences
        y_rev = y_rev[:, ::-1] if flip else y_rev

        def backward(d_output):
            d_y, d_y_rev = MERGE_BACKWARD[self.layer.merge_mode](d_output, y, y_rev)
            parts = [forward_back(d_y), backward_back(d_y_rev[:, ::-1] if flip else d_y_rev)]
            weights = {prefix + w: g for prefix, part in zip(self.prefixes, parts) for w, g in part.weights.items()}
            d_inputs = [None if a is None else a if b is None else a + b for a, b in zip(*(p.inputs for p in parts))]
            return Gradients(d_inputs, weights)
        return MERGE[self.layer.merge_mode](y, y_rev), backward

    @staticmethod
    def _train_direction(kernel, inputs, masks, training):
        """_direction while training: the output and its backward (masked steps zeroed, so get no gradient)."""
        own = Training(training.rng, training.weight_grads, training.input_grads)
        y, backward = kernel.train_forward(inputs, masks, own)
        mask = masks[0]
        if mask is None or not kernel.layer.return_sequences:
            return y, backward
        read = (mask[:, ::-1] if kernel.layer.go_backwards else mask)[..., None]
        return np.where(read, y, 0).astype(y.dtype, copy=False), lambda d: backward(np.where(read, d, 0))

    @staticmethod
    def _direction(kernel, inputs, masks) -> list[np.ndarray]:
        """One direction's output, zero at masked steps with return_sequences (in its reading order), then its last
        states where it returns them."""
        produced, mask = kernel.forward(inputs, [masks[0]] + [None] * (len(inputs) - 1)), masks[0]
        y, *states = produced if kernel.layer.return_state else (produced,)
        if mask is not None and kernel.layer.return_sequences:
            read = mask[:, ::-1] if kernel.layer.go_backwards else mask
            y = np.where(read[..., None], y, 0).astype(y.dtype, copy=False)
        return [y, *states]

    def output_mask(self, inputs, masks):
        """The input's mask on the output with return_sequences, on both with merge_mode null (Keras's
        compute_mask); none on the states."""
        mask = masks[0] if self.layer.return_sequences else None
        return (mask, mask) if self.layer.merge_mode is None else mask
