"""What every NumPy kernel shares: the registry by layer type, Keras's mask rule, and the training interface.

Training (Thinc's and micrograd's shape): `train_forward` runs the layer in training mode and returns its output
and a closure, `backward(d_output) -> Gradients`, holding what the backward needs. The plan runs forward in
topological order and the closures in reverse, adding the gradients of a value read by several layers. A kernel
writes its `train_forward` right under its `forward`, in the same module.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..initializers import draw

KERNELS: dict[str, type["Kernel"]] = {}


@dataclass
class Gradients:
    """What a backward returns: d loss / d each input, in order (None where `Training.input_grads` said it is not
    needed, or the input is not differentiable: integer ids), and d loss / d each trainable weight by Keras name
    (empty when `Training.weight_grads` is False)."""
    inputs: list[np.ndarray | None]
    weights: dict[str, np.ndarray] = field(default_factory=dict)


Backward = Callable[[np.ndarray], Gradients]


@dataclass
class Training:
    """What a training-mode forward knows beyond its inputs.

    rng: the seeded generator Dropout and GaussianNoise draw from (the plan's, so a run is reproducible);
    weight_grads: the layer is trainable (not `trainable: false`), so its backward computes weight gradients;
    input_grads: per input, whether anything upstream needs its gradient (a model input never does);
    updates: weights changed by the forward itself, not by gradients (BatchNormalization's moving statistics),
    set through `assign`, and written by the trainer only once the whole step came out finite.
    """
    rng: np.random.Generator
    weight_grads: bool = True
    input_grads: tuple[bool, ...] = (True,)
    updates: dict[str, np.ndarray] = field(default_factory=dict)

    def assign(self, weight: str, value: np.ndarray) -> None:
        self.updates[weight] = value

    def needs(self, index: int = 0) -> bool:
        return self.input_grads[index]


def kernel(*kinds: str):
    """Registers a kernel class for the layer types named (their canonical Keras names)."""
    def register(cls):
        for kind in kinds:
            KERNELS[kind] = cls
        return cls
    return register


class Kernel:
    """A layer compiled for NumPy: its weights bound, a forward over arrays. Kernels never write to their inputs."""

    def __init__(self, name: str, layer, weights: dict[str, np.ndarray], scratch_per_sample: int | None = None):
        """scratch_per_sample: bytes per sample the kernel's buffers may take (the model's largest activation)."""
        self.name, self.layer, self.weights = name, layer, weights
        self.scratch_per_sample = scratch_per_sample

    def scratch_bytes(self, x: np.ndarray) -> int | None:
        return None if self.scratch_per_sample is None else self.scratch_per_sample * x.shape[0]

    @classmethod
    def initial_weights(cls, layer, shapes: dict[str, tuple], rng: np.random.Generator, base_dir) -> dict[str, np.ndarray]:
        """Each weight drawn as its initializer field says (`layer.initializer_for(name)`), in order from the layer's
        generator; `base_dir` resolves files the spec names."""
        return {name: draw(layer.initializer_for(name), shape, rng) for name, shape in shapes.items()}

    def forward(self, inputs: list[np.ndarray], masks: list[np.ndarray | None]) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} has no forward")

    def train_forward(self, inputs: list[np.ndarray], masks: list[np.ndarray | None],
                      training: Training) -> tuple[np.ndarray, Backward]:
        """The forward in training mode (Keras's `training=True`): the output, and a closure that maps d loss /
        d output (the output's shape and dtype) to Gradients. Masked steps must get no gradient."""
        raise NotImplementedError(f"{type(self).__name__} has no backward yet: layer '{self.name}' cannot train")

    def output_mask(self, inputs: list[np.ndarray], masks: list[np.ndarray | None]) -> np.ndarray | None:
        """Keras's compute_mask: a layer that supports masking passes its input's mask on; others drop it."""
        return masks[0] if self.layer.supports_masking and len(masks) == 1 else None


def has_backward(cls: type[Kernel]) -> bool:
    """Whether a kernel class can train (it overrides train_forward)."""
    return cls.train_forward is not Kernel.train_forward


class Identity(Kernel):
    """Layers that only act while training (Dropout, GaussianNoise): the identity at inference, as in Keras."""

    def forward(self, inputs, masks):
        return inputs[0]
