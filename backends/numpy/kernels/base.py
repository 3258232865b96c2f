"""What every NumPy kernel shares: the registry by layer type, and Keras's mask rule."""
from __future__ import annotations

import numpy as np

from ..initializers import draw

KERNELS: dict[str, type["Kernel"]] = {}


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

    def output_mask(self, inputs: list[np.ndarray], masks: list[np.ndarray | None]) -> np.ndarray | None:
        """Keras's compute_mask: a layer that supports masking passes its input's mask on; others drop it."""
        return masks[0] if self.layer.supports_masking and len(masks) == 1 else None


class Identity(Kernel):
    """Layers that only act while training (Dropout, GaussianNoise): the identity at inference, as in Keras."""

    def forward(self, inputs, masks):
        return inputs[0]
