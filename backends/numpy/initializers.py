"""Keras 3's initializers drawn with NumPy, reproducible from a seed.

The distributions and their parameters are Keras's (keras/src/initializers/); the numbers are not, another
generator drawing them. A weight is drawn from its layer's generator (one per layer, see layer_rng), unless its
initializer's config has a `seed`: then from a generator of that seed alone, so the weight is the same whatever
the model's seed and the layer's name, and two weights of one shape with the same initializer seed start equal,
as in Keras.
"""
from __future__ import annotations

import math
import zlib
from functools import partial

import numpy as np

from graphspec.layers.keras_objects import VARIANCE_SCALING
from graphspec.layers.weight_options import resolve

TRUNCATION = 2.0  # Keras's truncated_normal redraws values beyond 2 standard deviations
TRUNCATED_STDDEV = 0.87962566103423978  # the stddev of a unit normal truncated at ±2, which VarianceScaling divides by


def compute_fans(shape, input_axes=None, output_axes=None) -> tuple[int, int]:
    """keras.initializers compute_fans: a conv kernel (..., in, out) counts its window (receptive field) in both."""
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes)
    if len(shape) < 2:
        return (shape[0],) * 2 if shape else (1, 1)
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def truncated_normal(shape, rng, mean=0.0, stddev=1.0) -> np.ndarray:
    """Normal values, those beyond ±2 stddev drawn again until none is."""
    values = rng.normal(size=shape)
    outside = np.abs(values) > TRUNCATION
    while outside.any():
        values[outside] = rng.normal(size=int(outside.sum()))
        outside = np.abs(values) > TRUNCATION
    return mean + stddev * values


def variance_scaling(shape, rng, c, preset=None) -> np.ndarray:
    """keras.initializers.VarianceScaling: variance scale / fan; Glorot, He and LeCun are its special cases, whose
    (scale, mode, distribution) are the preset."""
    scale, mode, distribution = preset or (c.scale, c.mode, c.distribution)
    fan_in, fan_out = compute_fans(shape, c.input_axes, c.output_axes)
    fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    scale /= max(1.0, fan)
    if distribution == "truncated_normal":
        return truncated_normal(shape, rng, stddev=math.sqrt(scale) / TRUNCATED_STDDEV)
    if distribution == "untruncated_normal":
        return rng.normal(0.0, math.sqrt(scale), shape)
    limit = math.sqrt(3.0 * scale)
    return rng.uniform(-limit, limit, shape)


def orthogonal(shape, rng, gain=1.0) -> np.ndarray:
    """keras.initializers.Orthogonal: the Q of a QR of a normal matrix, signs fixed by R's diagonal, times gain;
    a conv kernel is flattened to (window · in, out) first."""
    rows, cols = math.prod(shape[:-1]), shape[-1]
    q, r = np.linalg.qr(rng.normal(size=(max(rows, cols), min(rows, cols))))
    q *= np.sign(np.diag(r))
    return gain * (q.T if rows < cols else q).reshape(shape)


DRAW = {
    "Zeros": lambda shape, rng, c: np.zeros(shape),
    "Ones": lambda shape, rng, c: np.ones(shape),
    "Constant": lambda shape, rng, c: np.full(shape, c.value),
    "Identity": lambda shape, rng, c: c.gain * np.eye(*shape),
    "Orthogonal": lambda shape, rng, c: orthogonal(shape, rng, c.gain),
    "RandomNormal": lambda shape, rng, c: rng.normal(c.mean, c.stddev, shape),
    "TruncatedNormal": lambda shape, rng, c: truncated_normal(shape, rng, c.mean, c.stddev),
    "RandomUniform": lambda shape, rng, c: rng.uniform(c.minval, c.maxval, shape),
    "VarianceScaling": variance_scaling,
} | {name: partial(variance_scaling, preset=preset) for name, preset in VARIANCE_SCALING.items()}


def draw(option, shape, rng: np.random.Generator) -> np.ndarray:
    """A float32 weight of `shape` drawn as the initializer `option` (a Keras name or {class_name, config}) says."""
    name, config = resolve(option)
    seed = getattr(config, "seed", None)
    rng = rng if seed is None else np.random.default_rng(seed)
    return DRAW[name](tuple(shape), rng, config).astype(np.float32)


def layer_rng(seed: int, layer_name: str) -> np.random.Generator:
    """One generator per layer, keyed by its name: adding a layer leaves the others' initial weights unchanged."""
    return np.random.default_rng([seed, zlib.crc32(layer_name.encode())])
