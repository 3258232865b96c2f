"""keras.layers.Bidirectional: the forward and backward recurrent layers on the same input and mask, merged."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .base import KERNELS, Gradients, Kernel, Training, kernel

MERGE_BACKWARD = {"concat": lambda d, y, y_rev: np.split(d, [y.shape[-1]], axis=-1), "sum": lambda d, y, y_rev: (d, d),
                  "mul": lambda d, y, y_rev: (d * y_rev, d * y), "ave": lambda d, y, y_rev: (d / 2, d / 2)}
MERGE = {"concat": lambda y, y_rev: np.concatenate([y, y_rev], axis=-1), "sum": np.add, "mul": np.multiply,
         "ave": lambda y, y_rev: (y + y_rev) / 2}


def _unprefixed(weights: dict, prefix: str) -> dict:
    return {w[len(prefix):]: a for w, a in weights.items() if w.startswith(prefix)}


class Prefixed(Mapping):
    """One direction's weights, read live from the wrapper's dict: a training step replaces the arrays there (and
    fit's restore after Ctrl-C puts older ones back), and each direction must see what the dict holds now."""

    def __init__(self, weights: dict, prefix: str):
        self.weights, self.prefix = weights, prefix

    def __getitem__(self, name):
        return self.weights[self.prefix + name]

    def __iter__(self):
        return (w[len(self.prefix):] for w in self.weights if w.startswith(self.prefix))

    def __len__(self):
        return sum(1 for _ in self)


def _split(d_outputs, heads: int, ahead: int):
    """The gradients of the merged output(s), and of each direction's last states."""
    return d_outputs[:heads], (d_outputs[heads:heads + ahead], d_outputs[heads + ahead:])


@kernel("Bidirectional")
class BidirectionalKernel(Kernel):
    """As Keras 3: with return_sequences, each direction's outputs at masked steps are zeros (Keras forces
    zero_output_for_mask there), and the backward outputs are flipped back to the input's order before merging;
    the input's mask is passed on with return_sequences, as Keras's compute_mask does."""

    def __init__(self, name, layer, weights, scratch_per_sample=None):
        super().__init__(name, layer, weights, scratch_per_sample)
        self.prefixes = list(layer.directions())
        self.directions = [KERNELS[inner.kind](name, inner, Prefixed(weights, prefix), scratch_per_sample)
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
        """Each direction's training forward and backward (weights under its prefix, its half of the initial states),
        the merge's backward between, the sequence's gradients from the two directions added."""
        states, needs = inputs[1:], training.input_grads
        half = len(states) // 2
        (y, ahead, forward_back), (y_rev, behind, backward_back) = (
            self._train_direction(kernel, [inputs[0], *states[part]], masks[0],
                                  Training(training.rng, training.weight_grads, (needs[0], *needs[1:][part])))
            for kernel, part in zip(self.directions, (slice(0, half), slice(half, None))))
        flip, merge = self.layer.return_sequences, self.layer.merge_mode
        y_rev = y_rev[:, ::-1] if flip else y_rev
        heads = (y, y_rev) if merge is None else (MERGE[merge](y, y_rev),)
        outputs = (*heads, *ahead, *behind)

        def backward(d_result):
            d_heads, d_states = _split(d_result if len(outputs) > 1 else (d_result,), len(heads), len(ahead))
            d_y, d_y_rev = d_heads if merge is None else MERGE_BACKWARD[merge](d_heads[0], y, y_rev)
            parts = [forward_back(d_y, d_states[0]), backward_back(d_y_rev[:, ::-1] if flip else d_y_rev, d_states[1])]
            weights = {prefix + w: g for prefix, part in zip(self.prefixes, parts) for w, g in part.weights.items()}
            d_sequence = [p.inputs[0] for p in parts if p.inputs[0] is not None]
            return Gradients([sum(d_sequence) if d_sequence else None, *parts[0].inputs[1:], *parts[1].inputs[1:]],
                             weights)
        return (outputs if len(outputs) > 1 else outputs[0]), backward

    @staticmethod
    def _train_direction(kernel, inputs, mask, training):
        """_direction while training: the output (masked steps zeroed, so they get no gradient), the last states
        where the layer returns them, and backward(d_output, d_states)."""
        produced, backward = kernel.train_forward(inputs, [mask] + [None] * (len(inputs) - 1), training)
        y, *states = produced if kernel.layer.return_state else (produced,)
        read = None
        if mask is not None and kernel.layer.return_sequences:
            read = (mask[:, ::-1] if kernel.layer.go_backwards else mask)[..., None]
            y = np.where(read, y, 0).astype(y.dtype, copy=False)

        def direction_backward(d_y, d_states):
            d_y = d_y if read is None else np.where(read, d_y, 0)
            return backward((d_y, *d_states) if states else d_y)
        return y, states, direction_backward

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
