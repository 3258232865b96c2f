"""Dense: a matmul on the last axis of any rank."""
from __future__ import annotations

import numpy as np

from .activations import activate_inplace


def dense(x, kernel, bias=None, activation=None):
    """keras.layers.Dense forward: activation(x @ kernel + bias) on the last axis.

    x (..., in); kernel (in, units); bias (units,) or None; activation a name or None.
    """
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    kernel = np.asarray(kernel, dtype)
    if x.shape[-1:] != kernel.shape[:1]:
        raise ValueError(f"dense input has last axis {x.shape[-1:]} but kernel {kernel.shape} expects ({kernel.shape[0]},)")
    # One 2-D GEMM over every leading position, rather than a batched matmul per leading index.
    result = np.matmul(x.reshape(-1, x.shape[-1]).astype(dtype, copy=False), kernel)
    if bias is not None:
        result += np.asarray(bias, dtype)
    activate_inplace(result, activation)
    return result.reshape(*x.shape[:-1], kernel.shape[1])
