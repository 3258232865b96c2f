"""Every activation a spec may name, with Keras 3 semantics (keras.activations).

Each function is `f(x, out=None)`: with `out` (which may be `x` itself) the result is written
there, so a kernel can fuse the activation onto a matmul result while it is still in cache.
Float dtypes are kept: float32 in, float32 out.
"""
from __future__ import annotations

import numpy as np

# keras.activations.selu constants.
SELU_ALPHA = 1.67326324
SELU_SCALE = 1.05070098
LEAKY_RELU_SLOPE = 0.2
_SQRT_HALF = 0.7071067811865476


def _as_float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def _finish(result, out):
    if out is None:
        return result
    np.copyto(out, result)
    return out


def linear(x, out=None):
    """keras.activations.linear."""
    return _finish(_as_float(x), out)


def relu(x, out=None):
    """keras.activations.relu with its defaults."""
    x = _as_float(x)
    # np.maximum against a scalar runs ~3x slower than against a broadcast array (NumPy 2.4).
    return np.maximum(x, np.zeros(x.shape[-1:], x.dtype), out=out)


def relu6(x, out=None):
    """keras.activations.relu6."""
    x = _as_float(x)
    bound = np.zeros(x.shape[-1:], x.dtype)  # a broadcast array, not a scalar: see relu
    result = np.maximum(x, bound, out=out)
    bound += 6
    return np.minimum(result, bound, out=result)


def leaky_relu(x, out=None):
    """keras.activations.leaky_relu, negative_slope 0.2."""
    x = _as_float(x)
    # max(x, 0.2 x) equals the two-branch definition because the slope is below 1.
    return np.maximum(x, x * LEAKY_RELU_SLOPE, out=out)


def elu(x, out=None):
    """keras.activations.elu, alpha 1."""
    x = _as_float(x)
    # Branch-free: max(x, 0) + expm1(min(x, 0)) avoids exp overflow on the unused branch.
    negative = np.expm1(np.minimum(x, 0))
    return np.add(np.maximum(x, 0), negative, out=out)


def selu(x, out=None):
    """keras.activations.selu."""
    x = _as_float(x)
    negative = np.expm1(np.minimum(x, 0)) * SELU_ALPHA
    result = np.add(np.maximum(x, 0), negative, out=out)
    return np.multiply(result, SELU_SCALE, out=result)


def _erfc_positive(z):
    """erfc(z) for z >= 0, relative error < 1.2e-7 (Numerical Recipes' Chebyshev fit `erfcc`).

    NumPy has no erf; this keeps the tail accurate relative to its size, which 1 - erf would not.
    """
    t = 1 / (1 + 0.5 * z)
    poly = 0.17087277
    for c in (-0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806,
              0.09678418, 0.37409196, 1.00002368, -1.26551223):
        poly = poly * t + c
    return t * np.exp(poly - z * z)


def gelu(x, out=None):
    """keras.activations.gelu with approximate=False: x * Phi(x), Phi the normal CDF."""
    x = _as_float(x)
    tail = 0.5 * _erfc_positive(np.abs(x) * _SQRT_HALF)  # Phi(-|x|)
    cdf = np.where(x < 0, tail, 1 - tail)
    return np.multiply(x, cdf, out=out)


def sigmoid(x, out=None):
    """keras.activations.sigmoid, written with exp(-|x|) so it never overflows."""
    x = _as_float(x)
    e = np.exp(-np.abs(x))
    positive = 1 / (1 + e)
    return _finish(np.where(x >= 0, positive, e * positive), out)


def hard_sigmoid(x, out=None):
    """keras.activations.hard_sigmoid (Keras 3): relu6(x + 3) / 6."""
    result = np.add(_as_float(x), 3, out=out)
    np.clip(result, 0, 6, out=result)
    return np.divide(result, 6, out=result)


def tanh(x, out=None):
    """keras.activations.tanh."""
    return np.tanh(_as_float(x), out=out)


def softmax(x, out=None):
    """keras.activations.softmax over the last axis; shifting by the max keeps exp finite."""
    x = _as_float(x)
    result = np.subtract(x, x.max(axis=-1, keepdims=True), out=out)
    np.exp(result, out=result)
    return np.divide(result, result.sum(axis=-1, keepdims=True), out=result)


def log_softmax(x, out=None):
    """keras.activations.log_softmax over the last axis."""
    x = _as_float(x)
    result = np.subtract(x, x.max(axis=-1, keepdims=True), out=out)
    log_sum = np.log(np.exp(result).sum(axis=-1, keepdims=True))
    return np.subtract(result, log_sum, out=result)


def softplus(x, out=None):
    """keras.activations.softplus: log(1 + exp(x)), stable for large |x|."""
    return np.logaddexp(_as_float(x), 0, out=out)


def softsign(x, out=None):
    """keras.activations.softsign."""
    x = _as_float(x)
    return np.divide(x, 1 + np.abs(x), out=out)


def silu(x, out=None):
    """keras.activations.silu (alias swish): x * sigmoid(x)."""
    x = _as_float(x)
    return np.multiply(x, sigmoid(x), out=out)


def mish(x, out=None):
    """keras.activations.mish: x * tanh(softplus(x))."""
    x = _as_float(x)
    return np.multiply(x, np.tanh(softplus(x)), out=out)


def exponential(x, out=None):
    """keras.activations.exponential."""
    return np.exp(_as_float(x), out=out)


ACTIVATION_FUNCTIONS = {f.__name__: f for f in (
    linear, relu, relu6, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, tanh,
    softmax, log_softmax, softplus, softsign, silu, mish, exponential,
)}
ACTIVATION_FUNCTIONS["swish"] = silu  # Keras 3 spells silu both ways
# Activations that normalise over the last axis: on a slice of features they give another result than on the whole.
OVER_LAST_AXIS = {"softmax", "log_softmax"}


def activate_inplace(x, name):
    """Apply activation `name` (None means linear) to the float array `x` in place; returns `x`."""
    if name is None or name == "linear":
        return x
    try:
        function = ACTIVATION_FUNCTIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATION_FUNCTIONS)}") from None
    return function(x, out=x)
