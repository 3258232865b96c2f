"""keras.layers.Bidirectional: the forward and backward recurrent layers on the same input and mask, merged."""
from __future__ import annotations

import numpy as np

from .base import KERNELS, Kernel, kernel

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
