"""Convolution in 1, 2 or 3 spatial dimensions, channels-last, inference forward.

im2col in blocks (see patches.py): a few images at a time, or a band of output rows of one large image,
become a patch matrix in reused buffers, and one BLAS call multiplies it by the kernel (with the bias as
its last row) straight into the output. A block of a few MB stays in cache from the copies through the
matmul and the activation. Max pooling that follows (non-overlapping windows) can be fused: the block's
conv outputs, grouped by pooling phase, are reduced by an elementwise maximum before the activation,
which is exact for the monotonic activations (max and bias commute with them), on a quarter of the data.
"""
from __future__ import annotations

import numpy as np

from graphspec.layers.arith import causal_padding, conv_output_length, same_padding

from .activations import activate_inplace
from .patches import Direct, Patches

# Bytes of patch matrix plus output per block. Measured on 2 cores (AMD EPYC, 2 MB L2 each,
# 32 MB L3): 5-8 MB ran 3x3x64->64 fastest, 2.6 MB and 13 MB about 10-20 % slower.
BLOCK_BYTES = 6 << 20
# Activations f with max(f(a), f(b)) == f(max(a, b)): only these may follow a fused max pooling.
MONOTONIC = {None, "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "sigmoid", "hard_sigmoid", "keras2_hard_sigmoid", "tanh",
             "softplus", "softsign", "exponential"}


def conv(x, kernel, bias=None, strides=None, padding="valid", dilation=None, activation=None, out=None, pool=None,
         scratch_bytes=None, groups=1):
    """Keras Conv1D / Conv2D / Conv3D forward, optionally followed by Keras MaxPooling (valid, strides = pool_size).

    x (B, *spatial, C); kernel (*kernel_size, C / groups, F) in Keras layout; bias (F,) or None;
    strides and dilation: one int per spatial axis (default 1); padding "valid", "same" or "causal" (1-D);
    groups: input channels and filters split into this many groups, each convolved alone (Keras's order: group g
    reads channels g * C/groups.. and writes filters g * F/groups..), run as one batched matmul per block;
    activation: an optional name, applied block by block; pool: a max pooling window per spatial axis,
    or None. Returns (B, *out, F) in x's float dtype, written into `out` when given (a C-contiguous
    array a compiled plan reuses between calls). scratch_bytes: what the buffers may take beyond twice the conv's
    own input or output (a plan allows the largest activation of its model).
    """
    x, kernel = _check(x, kernel, groups)
    rank, filters = x.ndim - 2, kernel.shape[-1]
    strides, dilation = tuple(strides or (1,) * rank), tuple(dilation or (1,) * rank)
    pool = _check_pool(pool, rank, activation, groups)
    conv_shape = _output_shape(x.shape[1:-1], kernel.shape[:-2], strides, padding, dilation)
    out_shape, phases = _pooled_shape(conv_shape, pool), int(np.prod(pool))
    out = _output(out, (x.shape[0], *out_shape, filters), x.dtype)
    # Buffers near the activations a model holds anyway keep its peak memory near them at a small batch; at batch 1
    # twice a late conv's own arrays would split one image into bands of a few rows, each a small, slow GEMM.
    own = 2 * max(x.nbytes, x.shape[0] * int(np.prod(conv_shape)) * filters * x.itemsize)
    budget = min(BLOCK_BYTES, max(own, scratch_bytes or 0))
    position_bytes = ((kernel[..., 0].size + 1) * groups + filters) * x.itemsize * phases
    images, rows = _block_size(x.shape[0], out_shape, position_bytes, budget)
    grouped = _regroup(x, groups)
    patches, weights = _operands(grouped, kernel, bias, strides, padding, dilation, out_shape, pool, images * groups,
                                 rows, groups)
    _run_blocks(out, patches, weights, bias if isinstance(patches, Direct) else None, activation, phases, images, rows,
                groups)
    return out


def _regroup(x, groups):
    """(B, *spatial, C) as (B * groups, *spatial, C / groups): each group of channels an image of its own, so that
    the patches of a block of images hold every group's, group-major within each image."""
    if groups == 1:
        return x
    grouped = np.moveaxis(x.reshape(*x.shape[:-1], groups, -1), -2, 1)
    return np.ascontiguousarray(grouped).reshape(-1, *x.shape[1:-1], x.shape[-1] // groups)


def _run_blocks(out, patches, weights, bias, activation, phases, images, rows, groups=1):
    """Per block: patch matrix @ weights (one matmul per group, batched), the maximum over pooling phases, the bias
    (when the weights lack it), the activation; all into the block's part of `out`."""
    batch, height, filters = out.shape[0], out.shape[1], out.shape[-1]
    positions = phases * images * rows * int(np.prod(out.shape[2:-1]))
    product = np.empty((positions, filters), out.dtype) if phases > 1 else None
    for b0 in range(0, batch, images):
        for r0 in range(0, height, rows):
            b1 = min(b0 + images, batch)
            target = out[b0:b1, r0:r0 + rows].reshape(-1, filters)
            operand = patches.block(b0 * groups, b1 * groups, r0, min(r0 + rows, height))
            if groups > 1:  # (images, G, positions, columns) @ (G, columns, F / G) into (images, positions, G, F / G)
                split = target.reshape(b1 - b0, -1, groups, filters // groups).transpose(0, 2, 1, 3)
                np.matmul(operand.reshape(b1 - b0, groups, -1, operand.shape[-1]), weights, out=split)
            elif product is None:
                np.matmul(operand, weights, out=target)
            else:
                _max_of_phases(np.matmul(operand, weights, out=product[: len(operand)]), phases, target)
            if bias is not None:
                target += bias
            activate_inplace(target, activation)


def _operands(x, kernel, bias, strides, padding, dilation, out_shape, pool, images, rows, groups=1):
    """The patch source and the weights it multiplies: the input itself for a 1x1 stride-1 conv, else patches.
    With groups, the weights are (groups, columns, F / groups), group g's columns from its filters."""
    ksize, filters = kernel.shape[:-2], kernel.shape[-1]
    if all(k == 1 for k in ksize) and all(s == 1 for s in strides) and max(pool) == 1:
        return Direct(x), _per_group(kernel.reshape(-1, filters), groups)
    pads = [_before(padding, n, k, s, d) for n, k, s, d in zip(x.shape[1:-1], ksize, strides, dilation)]
    patches = Patches(x, ksize, strides, dilation, pads, out_shape, pool, images, rows)
    weights = np.concatenate([kernel.reshape(-1, filters), _bias_row(bias, filters, x.dtype)])
    return patches, _per_group(weights, groups)


def _before(padding, length, kernel, stride, dilation):
    """Zeros before the first element along one axis."""
    if padding == "causal":
        return causal_padding(kernel, dilation)
    return same_padding(length, kernel, stride, dilation)[0] if padding == "same" else 0


def _per_group(weights, groups):
    """(columns, F) as (groups, columns, F / groups), contiguous for the batched matmul."""
    if groups == 1:
        return weights
    return np.ascontiguousarray(weights.reshape(weights.shape[0], groups, -1).transpose(1, 0, 2))


def _max_of_phases(product, phases, target):
    """target = the elementwise maximum of the `phases` equal row groups of product."""
    groups = product.reshape(phases, -1, product.shape[-1])
    np.maximum(groups[0], groups[1], out=target)
    for group in groups[2:]:
        np.maximum(target, group, out=target)


def _check_pool(pool, rank, activation, groups=1):
    if pool is None:
        return (1,) * rank
    if groups > 1:
        raise ValueError("max pooling is fused only after a conv with groups 1")
    pool = tuple(pool)
    if len(pool) != rank or min(pool) < 1:
        raise ValueError(f"pool needs one window size >= 1 per spatial axis ({rank}), got {pool}")
    if activation not in MONOTONIC:
        raise ValueError(f"max pooling fused after activation {activation!r} would change the result: "
                         f"fusing needs one of {sorted(a for a in MONOTONIC if a)}")
    return pool


def _output_shape(spatial, ksize, strides, padding, dilation):
    out_shape = tuple(conv_output_length(n, k, s, padding, d) for n, k, s, d in zip(spatial, ksize, strides, dilation))
    if min(out_shape) <= 0:
        raise ValueError(f"conv window {ksize} with dilation {dilation} does not fit input {spatial} with {padding!r} padding")
    return out_shape


def _check(x, kernel, groups=1):
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    x, kernel = np.ascontiguousarray(x, dtype), np.ascontiguousarray(kernel, dtype)
    if kernel.ndim not in (3, 4, 5) or x.ndim != kernel.ndim:
        raise ValueError(f"conv expects x (B, *spatial, C) and kernel (*kernel_size, C, F) of one rank "
                         f"in 3..5, got x {x.shape} and kernel {kernel.shape}")
    if x.shape[-1] != kernel.shape[-2] * groups or kernel.shape[-1] % groups:
        raise ValueError(f"conv input has {x.shape[-1]} channels but kernel {kernel.shape} with groups {groups} "
                         f"expects {kernel.shape[-2] * groups}, and filters divisible by groups")
    return x, kernel


def float_operands(x, kernel, what: str, layout: str):
    """x C-contiguous in its float dtype (float32 for any other) and the kernel in it too; a ValueError naming the op
    and its kernel `layout` unless both have one rank and the kernel's axis -1 (transposed) or -2 holds x's channels."""
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    x, kernel = np.ascontiguousarray(x, dtype), np.asarray(kernel, dtype)
    axis = -1 if layout.endswith("C)") else -2
    if kernel.ndim != x.ndim or kernel.shape[axis] != x.shape[-1]:
        raise ValueError(f"{what} expects x (B, *spatial, C) and kernel {layout} of one rank, "
                         f"got x {x.shape} and kernel {kernel.shape}")
    return x, kernel


def _output(out, shape, dtype):
    if out is None:
        return np.empty(shape, dtype)
    if out.shape != shape or out.dtype != dtype or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-contiguous {dtype} array of shape {shape}, got {out.dtype} {out.shape}")
    return out


def _bias_row(bias, filters, dtype):
    return np.zeros((1, filters), dtype) if bias is None else np.asarray(bias, dtype).reshape(1, filters)


def _pooled_shape(conv_shape, pool):
    shape = tuple(n // p for n, p in zip(conv_shape, pool))
    if min(shape) <= 0:
        raise ValueError(f"pool window {pool} does not fit the conv output {conv_shape}")
    return shape


def _block_size(batch, out_shape, position_bytes, budget):
    """(images, output rows) per block so that its patches and output take about `budget` bytes."""
    row_bytes = position_bytes * int(np.prod(out_shape[1:]))
    image_bytes = row_bytes * out_shape[0]
    if image_bytes <= budget:
        return max(1, min(batch, budget // image_bytes)), out_shape[0]
    return 1, max(1, budget // row_bytes)
