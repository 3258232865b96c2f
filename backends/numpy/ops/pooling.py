"""Max and average pooling over any number of spatial axes, channels-last, inference forward.

Both reductions are separable, so a k x k window is reduced one axis at a time (k + k strided
ufunc calls instead of k * k), a few images at a time so the intermediate stays in cache.
`same` padding is never materialised: each tap only touches the outputs whose input lies inside
the array, which is what padding with -inf (max) or averaging only real elements (avg) means.
"""
from __future__ import annotations

import numpy as np

from graphspec.layers.arith import conv_output_length, same_padding

# Input bytes per block: 2x2 max pooling of (256, 62, 62, 64) took 31 ms blocked at 1-8 MB,
# against 48 ms for the same ufunc calls on the whole batch and 60 ms for reshape + max(axis=...).
BLOCK_BYTES = 2 << 20
_REDUCE = {"max": np.maximum, "avg": np.add}


def pool(x, pool_size, strides, padding, mode, out=None):
    """Keras MaxPooling1D/2D/3D (mode "max") and AveragePooling1D/2D/3D (mode "avg").

    x (B, *spatial, C); pool_size and strides: one int per spatial axis (the caller resolves
    Keras' strides=None to pool_size); padding "valid" or "same". Returns (B, *out, C),
    written into `out` when given (a buffer a compiled plan reuses between calls).
    """
    x = _as_float(x)
    out_shape, pads = _geometry(x.shape, pool_size, strides, padding, mode)
    shape = (x.shape[0], *out_shape, x.shape[-1])
    if out is None:
        out = np.empty(shape, x.dtype)
    elif out.shape != shape or out.dtype != x.dtype:
        raise ValueError(f"out must be a {x.dtype} array of shape {shape}, got {out.dtype} {out.shape}")
    scale = 1 / _window_counts(x.shape[1:-1], pool_size, strides, pads, out_shape, x.dtype) if mode == "avg" else None
    images = max(1, BLOCK_BYTES // max(1, x[:1].nbytes))
    for b0 in range(0, x.shape[0], images):
        block = x[b0:b0 + images]
        for axis, (k, s, p, n) in enumerate(zip(pool_size, strides, pads, out_shape), start=1):
            block = _reduce_axis(block, axis, k, s, p, n, _REDUCE[mode])
        if scale is None:
            out[b0:b0 + images] = block
        else:
            np.multiply(block, scale, out=out[b0:b0 + images])
    return out


def _geometry(shape, pool_size, strides, padding, mode):
    """Output spatial shape and the `same` padding before each axis, after checking the arguments."""
    if mode not in _REDUCE:
        raise ValueError(f"pool mode must be 'max' or 'avg', got {mode!r}")
    spatial = shape[1:-1]
    if len(pool_size) != len(spatial) or len(strides) != len(spatial):
        raise ValueError(f"pool_size {pool_size} and strides {strides} need one entry per spatial axis of {shape}")
    out_shape = tuple(conv_output_length(n, k, s, padding) for n, k, s in zip(spatial, pool_size, strides))
    if min(out_shape) <= 0:
        raise ValueError(f"pool window {tuple(pool_size)} does not fit input {spatial} with {padding!r} padding")
    pads = [same_padding(n, k, s)[0] if padding == "same" else 0 for n, k, s in zip(spatial, pool_size, strides)]
    return out_shape, pads


def _as_float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def _reduce_axis(y, axis, k, stride, pad, out_len, ufunc):
    """Combine, with `ufunc`, the window of k taps along `axis` for each of out_len outputs."""
    if k == 1 and stride == 1:
        return y
    full, partial = [], []
    for tap in range(k):
        lo, hi = _valid_range(y.shape[axis], out_len, stride, tap - pad)
        start = lo * stride + tap - pad
        view = y[_along(axis, slice(start, start + (hi - lo - 1) * stride + 1, stride))]
        if (lo, hi) == (0, out_len):
            full.append(view)
        elif hi > lo:
            partial.append((slice(lo, hi), view))
    # Tap `pad` reads input o * stride, inside the array for every output, so `full` is never empty;
    # starting from ufunc(a, b) saves the copy that starting from one tap would cost.
    result = ufunc(full[0], full[1]) if len(full) > 1 else full[0].copy()
    for view in full[2:]:
        ufunc(result, view, out=result)
    for index, view in partial:
        target = result[_along(axis, index)]
        ufunc(target, view, out=target)
    return result


def _along(axis, index):
    return (slice(None),) * axis + (index,)


def _valid_range(length, out_length, stride, offset):
    """Outputs [lo, hi) whose input index o * stride + offset lies inside [0, length)."""
    lo = max(0, (-offset + stride - 1) // stride)
    hi = min(out_length, (length - 1 - offset) // stride + 1)
    return lo, max(lo, hi)


def _window_counts(spatial, pool_size, strides, pads, out_shape, dtype):
    """Real (unpadded) elements under each window, shaped (*out, 1) to broadcast over channels."""
    counts = np.ones((), dtype)
    for n, k, s, p, o in zip(spatial, pool_size, strides, pads, out_shape):
        starts = np.arange(o) * s - p
        per_axis = np.minimum(starts + k, n) - np.maximum(starts, 0)
        counts = np.multiply.outer(counts, per_axis.astype(dtype))
    return counts[..., None]


def global_pool(x, mode, mask=None):
    """Keras GlobalMaxPooling1D/2D/3D and GlobalAveragePooling1D/2D/3D over axes 1..-2.

    mask (B, T), only for x (B, T, C): averages divide by the count of unmasked steps and max
    ignores masked steps (all steps masked gives NaN for avg, as Keras does, and -inf for max).
    """
    x = _as_float(x)
    if mode not in _REDUCE:
        raise ValueError(f"global_pool mode must be 'max' or 'avg', got {mode!r}")
    if mask is None:
        flat = x.reshape(x.shape[0], int(np.prod(x.shape[1:-1])), x.shape[-1])  # -1 fails on an empty batch
        if mode == "max" or flat.shape[1] == 0:
            return flat.max(axis=1) if mode == "max" else flat.mean(axis=1)
        # A vector-matrix product per sample sums the steps ~15x faster than mean(axis=1), whose inner loop
        # runs along the short channels axis (NumPy 2.4, (256, 200, 16)).
        return np.matmul(np.full(flat.shape[1], 1 / flat.shape[1], flat.dtype), flat)
    mask = np.asarray(mask, bool)
    if x.ndim != 3 or mask.shape != x.shape[:2]:
        raise ValueError(f"global_pool mask must be (B, T) for x (B, T, C), got mask {mask.shape} for x {x.shape}")
    if mode == "max":
        return np.where(mask[..., None], x, -np.inf).astype(x.dtype, copy=False).max(axis=1)
    weights = mask.astype(x.dtype)
    # One batched matmul sums the unmasked steps: (B, 1, T) @ (B, T, C).
    totals = np.matmul(weights[:, None, :], x)[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        return totals / weights.sum(axis=1, keepdims=True)
