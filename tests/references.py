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
    "keras2_hard_sigmoid": lambda v: min(max(0.2 * v + 0.5, 0.0), 1.0),
    "tanh": math.tanh,
    "softplus": softplus,
    "softsign": lambda v: v / (1 + abs(v)),
    "silu": lambda v: v * sigmoid(v),
    "swish": lambda v: v * sigmoid(v),
    "mish": lambda v: v * math.tanh(softplus(v)),
    "exponential": math.exp,
    "celu": lambda v: max(v, 0.0) + math.expm1(min(v, 0.0)),
    "sparse_sigmoid": lambda v: min(max((v + 1) / 2, 0.0), 1.0),
    "log_sigmoid": lambda v: -softplus(-v),
    "hard_tanh": lambda v: min(max(v, -1.0), 1.0),
    "tanh_shrink": lambda v: v - math.tanh(v),
    "hard_shrink": lambda v: v if abs(v) > 0.5 else 0.0,
    "soft_shrink": lambda v: v - 0.5 if v > 0.5 else (v + 0.5 if v < -0.5 else 0.0),
    "sparse_plus": lambda v: 0.0 if v <= -1 else (v if v >= 1 else (v + 1) ** 2 / 4),
    "squareplus": lambda v: (v + math.sqrt(v * v + 4)) / 2,
    "hard_silu": lambda v: v * min(max(v / 6 + 0.5, 0.0), 1.0),
    "hard_swish": lambda v: v * min(max(v / 6 + 0.5, 0.0), 1.0),
}


def relu_layer(v, negative_slope=0.0, max_value=None, threshold=0.0):
    """keras.layers.ReLU as Keras 3 computes it: x above the threshold (else 0), capped at max_value, minus
    negative_slope times how far x is below the threshold."""
    if negative_slope and max_value is None and threshold == 0:
        return v if v >= 0 else negative_slope * v
    out = v if v > threshold else 0.0
    if max_value is not None:
        out = min(max(out, 0.0), max_value)
    return out - negative_slope * max(threshold - v, 0.0) if negative_slope else out


# Keras 3 activations over a whole row (the last axis), as plain loops.
def glu_row(row):
    half = len(row) // 2
    return [row[i] * sigmoid(row[half + i]) for i in range(half)]


def sparsemax_row(row):
    """Martins & Astudillo's sparsemax: the largest k with 1 + k z_(k) > z_(1) + ... + z_(k) sets the threshold."""
    ordered = sorted(row, reverse=True)
    k = max(j for j in range(1, len(row) + 1) if 1 + j * ordered[j - 1] > sum(ordered[:j]))
    tau = (sum(ordered[:k]) - 1) / k
    return [max(v - tau, 0.0) for v in row]


def softmax_row(row):
    top = max(row)
    exps = [math.exp(v - top) for v in row]
    return [e / sum(exps) for e in exps]


def log_softmax_row(row):
    top = max(row)
    log_sum = top + math.log(sum(math.exp(v - top) for v in row))
    return [v - log_sum for v in row]


ROWWISE = {"softmax": softmax_row, "log_softmax": log_softmax_row, "glu": glu_row, "sparsemax": sparsemax_row}
