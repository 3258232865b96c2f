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


def relu(x, out=None, negative_slope=0.0, max_value=None, threshold=0.0):
    """keras.activations.relu: x above `threshold` (else 0), clipped to [0, max_value], minus negative_slope times
    max(threshold - x, 0); with only negative_slope set, leaky_relu (Keras 3's ReLU.static_call)."""
    x = _as_float(x)
    if negative_slope == 0 and max_value is None and threshold == 0:
        # np.maximum against a scalar runs ~3x slower than against a broadcast array (NumPy 2.4).
        return np.maximum(x, np.zeros(x.shape[-1:], x.dtype), out=out)
    if max_value is None and threshold == 0:
        return leaky_relu(x, out, negative_slope)
    t = x.dtype.type(threshold)
    below = np.maximum(t - x, 0) if negative_slope else None  # before `out` (maybe x) is written
    result = _finish(np.where(x > t, x, x.dtype.type(0)), out)
    if max_value is not None:
        np.clip(result, 0, x.dtype.type(max_value), out=result)
    if negative_slope:
        result -= x.dtype.type(negative_slope) * below
    return result


def relu6(x, out=None):
    """keras.activations.relu6."""
    x = _as_float(x)
    bound = np.zeros(x.shape[-1:], x.dtype)  # a broadcast array, not a scalar: see relu
    result = np.maximum(x, bound, out=out)
    bound += 6
    return np.minimum(result, bound, out=result)


def leaky_relu(x, out=None, negative_slope=LEAKY_RELU_SLOPE):
    """keras.activations.leaky_relu (negative_slope 0.2 by name; the LeakyReLU layer passes its own)."""
    x = _as_float(x)
    if 0 <= negative_slope <= 1:  # then max(x, slope x) is the two-branch definition, and faster
        return np.maximum(x, x * x.dtype.type(negative_slope), out=out)
    return _finish(np.where(x >= 0, x, x * x.dtype.type(negative_slope)), out)


def elu(x, out=None, alpha=1.0):
    """keras.activations.elu (alpha 1 by name; the ELU layer passes its own)."""
    x = _as_float(x)
    # Branch-free: max(x, 0) + alpha expm1(min(x, 0)) avoids exp overflow on the unused branch.
    negative = np.expm1(np.minimum(x, 0))
    if alpha != 1:
        negative *= x.dtype.type(alpha)
    return np.add(np.maximum(x, 0), negative, out=out)


def celu(x, out=None, alpha=1.0):
    """keras.activations.celu, alpha 1: max(x, 0) + alpha expm1(min(x, 0) / alpha)."""
    x = _as_float(x)
    negative = np.expm1(np.minimum(x, 0) / x.dtype.type(alpha)) * x.dtype.type(alpha)
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


def keras2_hard_sigmoid(x, out=None):
    """hard_sigmoid as Keras 1 and 2 defined it, clip(0.2 x + 0.5, 0, 1) (the default recurrent_activation of their
    LSTM and GRU); Keras 3's hard_sigmoid is relu6(x + 3) / 6, a slope of 1/6."""
    result = np.multiply(_as_float(x), 0.2, out=out)
    np.add(result, 0.5, out=result)
    return np.clip(result, 0, 1, out=result)


def tanh(x, out=None):
    """keras.activations.tanh."""
    return np.tanh(_as_float(x), out=out)


def softmax(x, out=None, axis=-1):
    """keras.activations.softmax over `axis` (an int or a tuple of axes, as the Softmax layer allows);
    shifting by the max keeps exp finite."""
    x = _as_float(x)
    result = np.subtract(x, x.max(axis=axis, keepdims=True), out=out)
    np.exp(result, out=result)
    return np.divide(result, result.sum(axis=axis, keepdims=True), out=result)


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


def hard_tanh(x, out=None):
    """keras.activations.hard_tanh: x clipped to [-1, 1]."""
    return np.clip(_as_float(x), -1, 1, out=out)


def sparse_sigmoid(x, out=None):
    """keras.activations.sparse_sigmoid: (x + 1) / 2 clipped to [0, 1]."""
    result = np.add(_as_float(x), 1, out=out)
    np.clip(result, 0, 2, out=result)
    return np.multiply(result, 0.5, out=result)


def log_sigmoid(x, out=None):
    """keras.activations.log_sigmoid: -softplus(-x), finite for any x."""
    result = np.logaddexp(-_as_float(x), 0, out=out)
    return np.negative(result, out=result)


def tanh_shrink(x, out=None):
    """keras.activations.tanh_shrink: x - tanh(x)."""
    x = _as_float(x)
    return np.subtract(x, np.tanh(x), out=out)


def hard_shrink(x, out=None, threshold=0.5):
    """keras.activations.hard_shrink, threshold 0.5: x where |x| > threshold, else 0."""
    x = _as_float(x)
    return _finish(np.where(np.abs(x) > threshold, x, x.dtype.type(0)), out)


def soft_shrink(x, out=None, threshold=0.5):
    """keras.activations.soft_shrink, threshold 0.5: x moved towards 0 by the threshold, 0 within it."""
    x = _as_float(x)
    t = x.dtype.type(threshold)
    return _finish(np.where(x > t, x - t, np.where(x < -t, x + t, x.dtype.type(0))), out)


def sparse_plus(x, out=None):
    """keras.activations.sparse_plus: 0 up to -1, (x + 1)² / 4 up to 1, then x."""
    x = _as_float(x)
    return _finish(np.where(x <= -1, x.dtype.type(0), np.where(x >= 1, x, (x + 1) ** 2 / 4)), out)


def squareplus(x, out=None, b=4):
    """keras.activations.squareplus, b 4: (x + sqrt(x² + b)) / 2."""
    x = _as_float(x)
    result = np.add(x, np.sqrt(x * x + x.dtype.type(b)), out=out)
    return np.multiply(result, 0.5, out=result)


def hard_silu(x, out=None):
    """keras.activations.hard_silu (alias hard_swish): x * hard_sigmoid(x)."""
    x = _as_float(x)
    return np.multiply(x, hard_sigmoid(x), out=out)


def glu(x, out=None):
    """keras.activations.glu over the last axis: its first half times the sigmoid of its second half, so the
    result has half the features (`out`, if given, must have that shape)."""
    x = _as_float(x)
    if x.shape[-1] % 2:
        raise ValueError(f"glu needs an even number of features on the last axis, got {x.shape[-1]}")
    a, b = np.split(x, 2, axis=-1)
    return np.multiply(a, sigmoid(b), out=out)


def sparsemax(x, out=None, axis=-1):
    """keras.activations.sparsemax: the Euclidean projection onto the probability simplex (Martins & Astudillo
    2016): max(x - tau, 0), tau = (sum of the k largest - 1) / k over the support of size k.

    Keras 3.15 (every backend) sums the cumulative sums over the support instead, so its rows do not sum to 1
    when more than one value survives (keras-team/keras#23425, fixed by #23469): this follows the fixed formula.
    """
    x = _as_float(x)
    ordered = -np.sort(-x, axis=axis)
    rank = np.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape([-1 if a == axis % x.ndim else 1
                                                                   for a in range(x.ndim)])
    support = ordered - (np.cumsum(ordered, axis=axis) - 1) / rank > 0
    k = support.sum(axis=axis, keepdims=True)
    tau = (np.where(support, ordered, 0).sum(axis=axis, keepdims=True) - 1) / k
    return np.maximum(x - tau.astype(x.dtype), 0, out=out)


ACTIVATION_FUNCTIONS = {f.__name__: f for f in (
    linear, relu, relu6, leaky_relu, elu, celu, selu, gelu, glu, sigmoid, hard_sigmoid, keras2_hard_sigmoid, sparse_sigmoid,
    log_sigmoid, tanh, hard_tanh, tanh_shrink, hard_shrink, soft_shrink, softmax, log_softmax, sparsemax,
    softplus, sparse_plus, squareplus, softsign, silu, hard_silu, mish, exponential,
)}
ACTIVATION_FUNCTIONS["swish"] = silu  # Keras 3 spells silu both ways
ACTIVATION_FUNCTIONS["hard_swish"] = hard_silu  # and hard_silu
# Activations that normalise over the last axis: on a slice of features they give another result than on the whole.
OVER_LAST_AXIS = {"softmax", "log_softmax", "sparsemax", "glu"}


def activate_inplace(x, name):
    """Apply activation `name` (None means linear) to the float array `x` in place; returns `x`."""
    if name is None or name == "linear":
        return x
    try:
        function = ACTIVATION_FUNCTIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATION_FUNCTIONS)}") from None
    if name == "glu":
        raise ValueError("glu halves the last axis, so it cannot be applied in place: call glu(x)")
    return function(x, out=x)
