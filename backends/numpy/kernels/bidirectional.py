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
        y, y_rev = (self._direction(kernel, inputs, masks) for kernel in self.directions)
        if self.layer.return_sequences:
            y_rev = y_rev[:, ::-1]
        return MERGE[self.layer.merge_mode](y, y_rev)

    @staticmethod
    def _direction(kernel, inputs, masks) -> np.ndarray:
        """One direction's outputs, zero at masked steps with return_sequences (in its reading order)."""
        y, mask = kernel.forward(inputs, masks), masks[0]
        if mask is None or not kernel.layer.return_sequences:
            return y
        read = mask[:, ::-1] if kernel.layer.go_backwards else mask
        return np.where(read[..., None], y, 0).astype(y.dtype, copy=False)

    def output_mask(self, inputs, masks):
        return masks[0] if self.layer.return_sequences else None
