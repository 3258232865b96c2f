"""The derivative of every activation in activations.py: `gradient(name)(x, y, dy) -> dx`.

A separate module from the forwards (activations.py is already long), in the same order. Where the derivative can
be written from the output y alone (relu, sigmoid, tanh, softmax...), x is not needed and may be None, so a kernel
that applies its activation in place (Dense, Conv) keeps no copy of the pre-activation: FROM_OUTPUT names them.
"""
from __future__ import annotations

import numpy as np

from .activations import SELU_ALPHA, SELU_SCALE, _erfc_positive, _SQRT_HALF, hard_sigmoid, sigmoid, softplus

_ERFC_COEFFICIENTS = (-0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
                      1.00002368, -1.26551223)  # activations._erfc_positive's, highest power first


def _between(v, low, high):
    return (v > low) & (v < high)


def linear(x, y, dy):
    return dy


def relu(x, y, dy):
    return dy * (y > 0)


def relu6(x, y, dy):
    return dy * _between(y, 0, 6)


def leaky_relu(x, y, dy, negative_slope=0.2):
    return np.where(x >= 0, dy, dy * x.dtype.type(negative_slope))


def relu_general(x, y, dy, negative_slope=0.0, max_value=None, threshold=0.0):
    """The ReLU layer's full form (activations.relu with its arguments)."""
    passed = (x > threshold) & (x > 0)
    if max_value is not None:
        passed &= x < max_value
    slope = negative_slope * (x < threshold) if negative_slope else 0
    return dy * (passed + slope).astype(dy.dtype)


def elu(x, y, dy, alpha=1.0):
    return np.where(x > 0, dy, dy * (alpha * np.exp(np.minimum(x, 0))).astype(dy.dtype))


def celu(x, y, dy, alpha=1.0):
    return np.where(x > 0, dy, dy * np.exp(np.minimum(x, 0) / alpha).astype(dy.dtype))


def selu(x, y, dy):
    slope = np.where(x > 0, SELU_SCALE, SELU_SCALE * SELU_ALPHA * np.exp(np.minimum(x, 0)))
    return dy * slope.astype(dy.dtype)


def _erfc_positive_slope(z):
    """d/dz of activations._erfc_positive, the fit itself (so the gradient is exactly that of the forward)."""
    t = 1 / (1 + 0.5 * z)
    poly, slope = 0.17087277, 0.0
    for c in _ERFC_COEFFICIENTS:
        slope = slope * t + poly
        poly = poly * t + c
    dt = -0.5 * t * t
    return np.exp(poly - z * z) * (dt + t * (slope * dt - 2 * z))


def gelu(x, y, dy):
    z = np.abs(x) * _SQRT_HALF
    tail = 0.5 * _erfc_positive(z)
    cdf = np.where(x < 0, tail, 1 - tail)
    density = -0.5 * _SQRT_HALF * _erfc_positive_slope(z)  # dPhi/dx, even in x
    return dy * (cdf + x * density).astype(dy.dtype)


def glu(x, y, dy):
    a, b = np.split(x, 2, axis=-1)
    s = sigmoid(b)
    return np.concatenate([dy * s, dy * a * s * (1 - s)], axis=-1)


def sigmoid_(x, y, dy):
    return dy * y * (1 - y)


def hard_sigmoid_(x, y, dy):
    return dy * (_between(y, 0, 1) / 6).astype(dy.dtype)


def sparse_sigmoid(x, y, dy):
    return dy * (_between(y, 0, 1) * 0.5).astype(dy.dtype)


def log_sigmoid(x, y, dy):
    return dy * sigmoid(-x)


def tanh(x, y, dy):
    return dy * (1 - y * y)


def hard_tanh(x, y, dy):
    return dy * _between(y, -1, 1)


def tanh_shrink(x, y, dy):
    return dy * np.square(np.tanh(x))


def shrink(x, y, dy, threshold=0.5):
    """hard_shrink and soft_shrink: slope 1 outside the threshold, 0 inside."""
    return dy * (np.abs(x) > threshold)


def softmax(x, y, dy, axis=-1):
    return y * (dy - np.sum(dy * y, axis=axis, keepdims=True))


def log_softmax(x, y, dy):
    return dy - np.exp(y) * np.sum(dy, axis=-1, keepdims=True)


def sparsemax(x, y, dy, axis=-1):
    """On the support (y > 0): dy minus its mean over the support; 0 off it (Martins & Astudillo, eq. 14)."""
    support = y > 0
    mean = np.sum(np.where(support, dy, 0), axis=axis, keepdims=True) / np.sum(support, axis=axis, keepdims=True)
    return np.where(support, dy - mean, 0).astype(dy.dtype)


def softplus_(x, y, dy):
    return dy * -np.expm1(-y)  # sigmoid(x) = 1 - exp(-softplus(x))


def sparse_plus(x, y, dy):
    return dy * np.clip((x + 1) / 2, 0, 1).astype(dy.dtype)


def squareplus(x, y, dy, b=4):
    return dy * (0.5 * (1 + x / np.sqrt(x * x + b))).astype(dy.dtype)


def softsign(x, y, dy):
    return dy / np.square(1 + np.abs(x))


def silu(x, y, dy):
    s = sigmoid(x)
    return dy * (s * (1 + x * (1 - s)))


def hard_silu(x, y, dy):
    return dy * (hard_sigmoid(x) + x * (_between(x, -3, 3) / 6)).astype(dy.dtype)


def mish(x, y, dy):
    t = np.tanh(softplus(x))
    return dy * (t + x * (1 - t * t) * sigmoid(x))


def exponential(x, y, dy):
    return dy * y


GRADIENTS = {
    "linear": linear, "relu": relu, "relu6": relu6, "leaky_relu": leaky_relu, "elu": elu, "celu": celu,
    "selu": selu, "gelu": gelu, "glu": glu, "sigmoid": sigmoid_, "hard_sigmoid": hard_sigmoid_,
    "sparse_sigmoid": sparse_sigmoid, "log_sigmoid": log_sigmoid, "tanh": tanh, "hard_tanh": hard_tanh,
    "tanh_shrink": tanh_shrink, "hard_shrink": shrink, "soft_shrink": shrink, "softmax": softmax,
    "log_softmax": log_softmax, "sparsemax": sparsemax, "softplus": softplus_, "sparse_plus": sparse_plus,
    "squareplus": squareplus, "softsign": softsign, "silu": silu, "swish": silu, "hard_silu": hard_silu,
    "hard_swish": hard_silu, "mish": mish, "exponential": exponential,
}
# Derivatives written from the output alone: the forward may overwrite its input with the activation.
FROM_OUTPUT = {"linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "sparse_sigmoid", "tanh", "hard_tanh",
               "softmax", "log_softmax", "sparsemax", "softplus", "exponential"}


def gradient(name):
    """The derivative of activation `name` (None: linear), as f(x, y, dy) -> dx."""
    return GRADIENTS["linear" if name is None else name]


def keeps_input(name) -> bool:
    """Whether the backward of activation `name` reads the pre-activation x (so the forward must keep a copy)."""
    return name is not None and name not in FROM_OUTPUT


def activate_for_training(z, name, **arguments):
    """Applies activation `name` to `z` (a float array the caller owns: overwritten where the derivative needs only
    the output) and returns (y, chain), chain(dy) -> d loss / dz."""
    from .activations import ACTIVATION_FUNCTIONS, activate_inplace

    derivative, kept = gradient(name), z.copy() if keeps_input(name) else None
    if name == "glu" or arguments:
        y = ACTIVATION_FUNCTIONS[name](z, **arguments) if name != "glu" else ACTIVATION_FUNCTIONS[name](z)
    else:
        y = activate_inplace(z, name)
    return y, lambda dy: derivative(kept, y, dy, **arguments)
