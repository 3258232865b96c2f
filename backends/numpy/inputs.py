"""Arrays given to a compiled model, checked against the spec's inputs before anything runs."""
from __future__ import annotations

import numpy as np

from graphspec.diagnostics import RunError
from graphspec.types import DTYPES, TensorType, format_shape


def _check_integer_range(name: str, array: np.ndarray, dtype: str) -> None:
    """Casting wraps around silently (2**32 + 1 becomes 1 in int32), which would look up the wrong row."""
    if dtype == "bool" or array.size == 0 or np.can_cast(array.dtype, dtype):
        return
    limits = np.iinfo(dtype)
    outside = (array < limits.min) | (array > limits.max)
    if outside.any():
        position = tuple(int(i) for i in np.argwhere(outside)[0])
        raise RunError(f"input '{name}' holds {array[position]} at position {position}, outside the range of "
                       f"{dtype} [{limits.min}, {limits.max}] that the model takes")


# dtype.name builds a new string on every call (~3 us); comparing dtypes takes 0.1 us
_NUMPY_DTYPES = {name: np.dtype(name) for name in DTYPES}


def _check_array(name: str, array, expected: TensorType) -> np.ndarray:
    array = np.asarray(array)
    if array.dtype == _NUMPY_DTYPES[expected.dtype] and _fits(array.shape, expected.shape):
        return array  # the common call, checked in a few microseconds: a batch-1 call is mostly this overhead
    if array.dtype.kind not in "biuf":
        raise RunError(f"input '{name}' has dtype {array.dtype}; it needs numbers ({expected.dtype})")
    shape = expected.shape
    if array.ndim != len(shape):
        raise RunError(f"input '{name}' has shape {array.shape} (rank {array.ndim}), but the model expects "
                       f"{format_shape(shape)} (rank {len(shape)}): the first axis is the batch")
    wrong = [i for i, (want, got) in enumerate(zip(shape, array.shape)) if isinstance(want, int) and want != got]
    if wrong:
        raise RunError(f"input '{name}' has shape {array.shape}, but the model expects {format_shape(shape)} "
                       f"(axis {wrong[0]} differs)")
    if expected.is_integer:
        if array.dtype.kind == "f":
            raise RunError(f"input '{name}' holds {array.dtype} values, but the model takes integer indices "
                           f"({expected.dtype}): pass an integer array, e.g. x.astype('{expected.dtype}')")
        _check_integer_range(name, array, expected.dtype)
        return array.astype(expected.dtype, copy=False)
    with np.errstate(over="ignore"):
        cast = array.astype(expected.dtype, copy=False)
    if array.dtype.kind == "f" and cast.dtype.itemsize < array.dtype.itemsize:
        _check_float_range(name, array, cast)
    return cast


def _fits(shape: tuple, expected: tuple) -> bool:
    return len(shape) == len(expected) and all(want is None or not isinstance(want, int) or want == got
                                               for want, got in zip(expected, shape))


def _check_float_range(name: str, array: np.ndarray, cast: np.ndarray) -> None:
    """A float64 beyond float32's range becomes infinite when cast, and the outputs NaN."""
    overflowed = np.isinf(cast) & np.isfinite(array)
    if overflowed.any():
        position = tuple(int(i) for i in np.argwhere(overflowed)[0])
        raise RunError(f"input '{name}' holds {array[position]} at position {position}, beyond the range of "
                       f"{cast.dtype} (±{np.finfo(cast.dtype).max:.2g}) that the model computes in")


def prepare_inputs(given, expected: dict[str, TensorType]) -> dict[str, np.ndarray]:
    """One array for a one-input model, or a dict by input name."""
    if not isinstance(given, dict):
        if len(expected) != 1:
            raise RunError(f"this model has {len(expected)} inputs ({', '.join(expected)}): pass a dict by input name")
        (name, tensor), = expected.items()
        return {name: _check_array(name, given, tensor)}
    missing, extra = sorted(set(expected) - set(given)), sorted(set(given) - set(expected))
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(extra)}"] if extra else [])
        raise RunError(f"inputs do not match the model's ({', '.join(expected)}): {'; '.join(parts)}")
    arrays = {name: _check_array(name, given[name], expected[name]) for name in expected}
    if len({a.shape[0] for a in arrays.values()}) > 1:
        raise RunError("the inputs have different batch sizes: " +
                       ", ".join(f"{n} {a.shape[0]}" for n, a in arrays.items()))
    return arrays


def plain_input(expected: dict[str, TensorType]):
    """(name, dtype, rank, sizes after the batch) of a model's only input when those sizes are all fixed numbers, so
    that the common call, an ndarray of that dtype and shape, is checked by two comparisons; else None."""
    if len(expected) != 1:
        return None
    (name, tensor), = expected.items()
    sizes = tuple(tensor.shape[1:])
    if not all(type(size) is int for size in sizes):
        return None
    return name, _NUMPY_DTYPES[tensor.dtype], len(tensor.shape), sizes
