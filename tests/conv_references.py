"""Plain-loop float64 references for the convolution family beyond Conv: grouped and causal convolution,
depthwise convolution, transposed convolution. Obviously correct rather than fast; shared by op and kernel tests."""
import itertools

import numpy as np

from references import reference_conv


def reference_causal_conv1d(x, kernel, bias, stride, dilation):
    """Keras Conv1D causal: (kernel - 1) * dilation zeros before the steps, then a valid convolution."""
    left = (kernel.shape[0] - 1) * dilation
    padded = np.concatenate([np.zeros((x.shape[0], left, x.shape[2])), x], axis=1)
    return reference_conv(padded, kernel, bias, (stride,), "valid", (dilation,))


def reference_grouped_conv(x, kernel, bias, strides, padding, dilation, groups):
    """Group g convolves input channels g * C/G .. with kernel[..., g * F/G ..] (Keras's feature_group_count)."""
    per_channel, per_filter = x.shape[-1] // groups, kernel.shape[-1] // groups
    parts = []
    for g in range(groups):
        filters = slice(g * per_filter, (g + 1) * per_filter)
        parts.append(reference_conv(x[..., g * per_channel:(g + 1) * per_channel], kernel[..., filters],
                                    None if bias is None else bias[filters], strides, padding, dilation))
    return np.concatenate(parts, axis=-1)


def reference_depthwise(x, kernel, bias, strides, padding, dilation):
    """Output channel c * m + j: channel c alone convolved with kernel[..., c, j] (the loops of reference_conv)."""
    channels, multiplier = kernel.shape[-2:]
    maps = [reference_conv(x[..., c:c + 1], kernel[..., c:c + 1, :], None, strides, padding, dilation)
            for c in range(channels)]
    result = np.stack(maps, axis=-2).reshape(*maps[0].shape[:-1], channels * multiplier)
    return result if bias is None else result + bias


def _jax_pads(kernel, stride, dilation, padding, output_padding):
    """Keras's padding of the stride-dilated input for JAX's conv_transpose (backend_utils), restated."""
    span = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return span - 1, span - 1 + extra
    total = stride + span - 2 if output_padding is None else span + span % 2 - 2 + output_padding
    left = min(total // 2 + total % 2, span - 1)
    return left, total - left


def reference_conv_transpose(x, kernel, bias, strides, padding, output_padding, dilation):
    """As JAX defines it: insert stride - 1 zeros between the inputs, pad, and correlate with the kernel flipped
    along every spatial axis, in and out channels swapped (kernel (*k, F, C))."""
    rank, ksize, filters = x.ndim - 2, kernel.shape[:-2], kernel.shape[-2]
    extra = output_padding or (None,) * rank
    pads = [_jax_pads(k, s, d, padding, p) for k, s, d, p in zip(ksize, strides, dilation, extra)]
    stuffed_shape = [(n - 1) * s + 1 + l + r for n, s, (l, r) in zip(x.shape[1:-1], strides, pads)]
    stuffed = np.zeros((x.shape[0], *stuffed_shape, x.shape[-1]))
    for position in itertools.product(*map(range, x.shape[1:-1])):
        stuffed[(slice(None), *(i * s + l for i, s, (l, _) in zip(position, strides, pads)))] = x[(slice(None), *position)]
    out = [m - (k - 1) * d for m, k, d in zip(stuffed_shape, ksize, dilation)]
    result = np.zeros((x.shape[0], *out, filters))
    for b, f in itertools.product(range(x.shape[0]), range(filters)):
        for position in itertools.product(*map(range, out)):
            total = 0.0 if bias is None else bias[f]
            for tap in itertools.product(*map(range, ksize)):
                flipped = tuple(k - 1 - t for k, t in zip(ksize, tap))
                index = tuple(o + t * d for o, t, d in zip(position, tap, dilation))
                for c in range(x.shape[-1]):
                    total += stuffed[(b, *index, c)] * kernel[(*flipped, f, c)]
            result[(b, *position, f)] = total
    return result
