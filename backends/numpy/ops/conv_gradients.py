"""Gradients of the channels-last convolution (conv.py): d input and d kernel as matrix products.

Without groups, d kernel and a stride-1 conv's d input are conv_gradient_products.py's few large products. What is
left loops over kernel taps, none over batch or pixels: a tap reads one strided slice of the padded input, the
(positions, C) slice of every output position at once, so d kernel[tap] = slice^T @ d output (one GEMM) and
d padded input[slice] += d output @ kernel[tap]^T (col2im as one strided add per tap, no np.add.at). With groups the
GEMMs are batched over the groups. Zero padding is materialised once, and cropped off d input at the end.
"""
from __future__ import annotations

import itertools

import numpy as np

from graphspec.layers.arith import effective_kernel

from .conv import _before, conv
from .conv_gradient_products import input_gradient, kernel_gradient


def conv_pads(spatial, ksize, strides, padding, dilation, out_shape):
    """(before, padded extent) per axis: the zeros before the input and the extent the output's windows read."""
    pads = []
    for n, k, s, d, o in zip(spatial, ksize, strides, dilation, out_shape):
        before = _before(padding, n, k, s, d)
        pads.append((before, max(n + before, (o - 1) * s + effective_kernel(k, d))))
    return pads


def conv_gradients(x, kernel, dz, strides, padding, dilation, groups=1, need_input=True, need_kernel=True):
    """(d x, d kernel) of Keras's conv for x (B, *spatial, C), kernel (*k, C / groups, F), dz (B, *out, F) the
    gradient of the pre-activation output; either may be None when not needed. Without groups, as few large
    products (conv_gradient_products.py); with groups, a product per tap and group."""
    out_shape = dz.shape[1:-1]
    ksize, filters = kernel.shape[:-2], kernel.shape[-1]
    pads = conv_pads(x.shape[1:-1], ksize, strides, padding, dilation, out_shape)
    padded = _pad(x, pads) if need_kernel else None
    windows = list(_taps(ksize, strides, dilation, out_shape))
    dkernel = dpadded = None
    if need_kernel and groups == 1:
        dkernel, need_kernel = kernel_gradient(padded, kernel.shape, windows, dz), False
    if need_input and groups == 1 and all(s == 1 for s in strides):
        dpadded, need_input = input_gradient(kernel, dz, dilation), False
    if need_input:
        dpadded = np.zeros((x.shape[0], *(e for _, e in pads), x.shape[-1]), dz.dtype)
    if need_kernel:
        dkernel = np.empty(kernel.shape, dz.dtype)
    flat_dz = dz.reshape(-1, filters)
    for tap, window in windows:
        if need_kernel:
            columns = padded[window].reshape(-1, x.shape[-1])  # (positions, C)
            dkernel[tap] = _per_group(columns.T, flat_dz, groups, 0, 1)  # (C / G, F)
        if need_input:
            back = _per_group(flat_dz, kernel[tap].T, groups, 1, 0)  # (positions, C)
            dpadded[window] += back.reshape(*dz.shape[:-1], x.shape[-1])
    return _unpadded(dpadded, pads, x.shape), dkernel


def depthwise_gradients(x, kernel, dz, strides, padding, dilation, need_input=True, need_kernel=True):
    """(d x, d kernel) of depthwise_conv for x (B, *spatial, C), kernel (*k, C, m), dz (B, *out, C * m) the
    gradient of the pre-activation output: per tap, a reduction over positions and one over the multiplier."""
    ksize, (channels, multiplier), out_shape = kernel.shape[:-2], kernel.shape[-2:], dz.shape[1:-1]
    pads = conv_pads(x.shape[1:-1], ksize, strides, padding, dilation, out_shape)
    padded = _pad(x, pads) if need_kernel else None
    dpadded = np.zeros((x.shape[0], *(e for _, e in pads), channels), dz.dtype) if need_input else None
    dkernel = np.empty(kernel.shape, dz.dtype) if need_kernel else None
    maps = dz.reshape(*dz.shape[:-1], channels, multiplier)
    flat_maps = maps.reshape(-1, channels, multiplier)
    for tap, window in _taps(ksize, strides, dilation, out_shape):
        if need_kernel:
            dkernel[tap] = np.einsum("pc,pcm->cm", padded[window].reshape(-1, channels), flat_maps)
        if need_input:
            dpadded[window] += np.einsum("...cm,cm->...c", maps, kernel[tap])
    return _unpadded(dpadded, pads, x.shape), dkernel


def _taps(ksize, strides, dilation, out_shape):
    """(tap, index): each kernel tap and the strided window of the padded input it reads for every output."""
    for tap in itertools.product(*map(range, ksize)):
        yield tap, (slice(None), *(slice(t * d, t * d + (o - 1) * s + 1, s)
                                   for t, d, s, o in zip(tap, dilation, strides, out_shape)))


def _unpadded(dpadded, pads, shape):
    if dpadded is None:
        return None
    return dpadded[(slice(None), *(slice(b, b + n) for (b, _), n in zip(pads, shape[1:-1])))]


def _pad(x, pads):
    """x with zeros before and after each spatial axis out to the padded extent (cut where the windows stop)."""
    padded = np.zeros((x.shape[0], *(e for _, e in pads), x.shape[-1]), x.dtype)
    inner = tuple(slice(b, min(b + n, e)) for (b, e), n in zip(pads, x.shape[1:-1]))
    if all(s.stop > s.start for s in inner):
        padded[(slice(None), *inner)] = x[(slice(None), *(slice(0, s.stop - s.start) for s in inner))]
    return padded




def transpose_gradients(x, kernel, dz, strides, crops, dilation, need_input=True, need_kernel=True):
    """(d x, d kernel) of conv_transpose for x (B, *n, C), kernel (*k, F, C), dz (B, *out, F) the gradient of the
    pre-activation output. A transposed conv is a conv's input gradient, so its own gradients are a conv: d x is
    the valid conv of d output (shifted by the crop, cut or padded to the extent the inputs reach) with the kernel
    as it stands (F channels in, C out), and d kernel that conv's kernel gradient with x as its output gradient."""
    pads = [(c, (n - 1) * s + effective_kernel(k, d)) for c, n, s, k, d in
            zip(crops, x.shape[1:-1], strides, kernel.shape[:-2], dilation)]
    shifted = _pad(dz, pads)
    dx = conv(shifted, kernel, None, strides, "valid", dilation) if need_input else None
    dkernel = None
    if need_kernel:
        dkernel = conv_gradients(shifted, kernel, x.astype(dz.dtype, copy=False), strides, "valid", dilation,
                                 need_input=False)[1]
    return dx, dkernel


def _per_group(a, b, groups, a_axis, b_axis):
    """a @ b, or with groups the product of each group's part of a (split along a_axis) and of b (along b_axis),
    side by side: 2-D GEMMs on strided blocks, which BLAS reads in place; one plain GEMM without groups."""
    if groups == 1:
        return a @ b
    return np.concatenate([pa @ pb for pa, pb in zip(np.split(a, groups, a_axis), np.split(b, groups, b_axis))], 1)
