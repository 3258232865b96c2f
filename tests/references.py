"""Plain-loop references for convolution and pooling, shared by the op tests and the kernel tests.

Obviously correct rather than fast: explicit loops over batch, output positions, taps and channels, in float64.
"""
import itertools
import math

import numpy as np


def reference_conv(x, kernel, bias, strides, padding, dilation):
    """TensorFlow's conv: `same` gives ceil(n / s) outputs and puts the odd padding element at the end."""
    spatial, ksize = x.shape[1:-1], kernel.shape[:-2]
    if padding == "same":
        out = [math.ceil(n / s) for n, s in zip(spatial, strides)]
        before = [max((o - 1) * s + (k - 1) * d + 1 - n, 0) // 2
                  for o, s, k, d, n in zip(out, strides, ksize, dilation, spatial)]
    else:
        out = [(n - (k - 1) * d - 1) // s + 1 for n, k, d, s in zip(spatial, ksize, dilation, strides)]
        before = [0] * len(spatial)
    result = np.zeros((x.shape[0], *out, kernel.shape[-1]))
    for b in range(x.shape[0]):
        for position in itertools.product(*map(range, out)):
            for f in range(kernel.shape[-1]):
                total = 0.0 if bias is None else bias[f]
                for tap in itertools.product(*map(range, ksize)):
                    index = tuple(o * s + t * d - p for o, s, t, d, p in zip(position, strides, tap, dilation, before))
                    if all(0 <= i < n for i, n in zip(index, spatial)):
                        for c in range(x.shape[-1]):
                            total += float(x[(b, *index, c)]) * kernel[(*tap, c, f)]
                result[(b, *position, f)] = total
    return result


def reference_pool(x, pool_size, strides, padding, mode):
    """Each window's max or mean over the elements inside the input (padding is never counted)."""
    spatial = x.shape[1:-1]
    if padding == "same":
        out = [math.ceil(n / s) for n, s in zip(spatial, strides)]
        before = [max((o - 1) * s + k - n, 0) // 2 for o, s, k, n in zip(out, strides, pool_size, spatial)]
    else:
        out = [(n - k) // s + 1 for n, k, s in zip(spatial, pool_size, strides)]
        before = [0] * len(spatial)
    result = np.zeros((x.shape[0], *out, x.shape[-1]))
    for b, c in itertools.product(range(x.shape[0]), range(x.shape[-1])):
        for position in itertools.product(*map(range, out)):
            values = []
            for tap in itertools.product(*map(range, pool_size)):
                index = [o * s + t - p for o, s, t, p in zip(position, strides, tap, before)]
                if all(0 <= i < n for i, n in zip(index, spatial)):
                    values.append(float(x[(b, *index, c)]))
            result[(b, *position, c)] = max(values) if mode == "max" else sum(values) / len(values)
    return result


# Keras 3 element-wise activations (keras.activations) as scalar float64 formulas.
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def sigmoid(v):
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


def softplus(v):
    return max(v, 0.0) + math.log1p(math.exp(-abs(v)))


ELEMENTWISE = {
    "linear": lambda v: v,
    "relu": lambda v: max(v, 0.0),
    "relu6": lambda v: min(max(v, 0.0), 6.0),
    "leaky_relu": lambda v: v if v >= 0 else 0.2 * v,
    "elu": lambda v: v if v > 0 else math.exp(v) - 1,
    "selu": lambda v: SELU_SCALE * (v if v > 0 else SELU_ALPHA * (math.exp(v) - 1)),
    "gelu": lambda v: 0.5 * v * (1 + math.erf(v / math.sqrt(2))),
    "sigmoid": sigmoid,
    "hard_sigmoid": lambda v: min(max(v / 6 + 0.5, 0.0), 1.0),
    "tanh": math.tanh,
    "softplus": softplus,
    "softsign": lambda v: v / (1 + abs(v)),
    "silu": lambda v: v * sigmoid(v),
    "swish": lambda v: v * sigmoid(v),
    "mish": lambda v: v * math.tanh(softplus(v)),
    "exponential": math.exp,
}
