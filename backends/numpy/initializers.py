"""Keras's default initial weights, chosen by weight name, reproducible from a seed."""
from __future__ import annotations

import math
import zlib

import numpy as np

UNIFORM_LIMIT = 0.05  # keras.initializers.RandomUniform's default, which Embedding uses


def glorot_uniform(shape, rng) -> np.ndarray:
    """keras.initializers.GlorotUniform: U(±sqrt(6 / (fan_in + fan_out))); a conv kernel's fans count its window."""
    receptive = math.prod(shape[:-2])
    fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
    limit = math.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape)


def orthogonal(shape, rng) -> np.ndarray:
    """keras.initializers.Orthogonal: the Q of a QR of a normal matrix, signs fixed by R's diagonal."""
    rows, cols = math.prod(shape[:-1]), shape[-1]
    q, r = np.linalg.qr(rng.normal(size=(max(rows, cols), min(rows, cols))))
    q *= np.sign(np.diag(r))
    return (q.T if rows < cols else q).reshape(shape)


def uniform(shape, rng) -> np.ndarray:
    return rng.uniform(-UNIFORM_LIMIT, UNIFORM_LIMIT, shape)


def zeros(shape, rng) -> np.ndarray:
    return np.zeros(shape)


def ones(shape, rng) -> np.ndarray:
    return np.ones(shape)


BY_WEIGHT = {
    "kernel": glorot_uniform, "vertical_kernel": glorot_uniform, "horizontal_kernel": glorot_uniform,
    "depthwise_kernel": glorot_uniform, "pointwise_kernel": glorot_uniform,
    "recurrent_kernel": orthogonal, "embeddings": uniform, "gamma": ones, "moving_variance": ones,
}


def initial_weight(name: str, shape, rng) -> np.ndarray:
    """Keras's default for a weight of this name: biases, beta and moving_mean start at zero."""
    return BY_WEIGHT.get(name, zeros)(tuple(shape), rng).astype(np.float32)


def layer_rng(seed: int, layer_name: str) -> np.random.Generator:
    """One generator per layer, keyed by its name: adding a layer leaves the others' initial weights unchanged."""
    return np.random.default_rng([seed, zlib.crc32(layer_name.encode())])
