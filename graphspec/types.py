"""Tensor types: a shape whose first entry is the batch (always None) plus a dtype, written as Keras writes them.

Integer dtypes are indices or pixels (uint8 images for Rescaling): float layers cast them to float32, Embedding
takes them as row ids, Flatten and the like keep them."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from .dims import SymDim

DTYPES: tuple[str, ...] = ("float32", "float64", "int32", "int64", "uint8", "int8", "int16", "uint16", "bool")
INTEGER_DTYPES = frozenset({"int32", "int64", "uint8", "int8", "int16", "uint16", "bool"})
FLOAT_DTYPES = frozenset({"float32", "float64"})
HALF_DTYPES = ("float16", "bfloat16")


def _not_half(value):
    """Keras takes a float16 or bfloat16 Input, and its first layer casts it to float32 (the default float32
    policy); graphspec computes in float32 or float64 only, so it says so rather than pretending."""
    if value in HALF_DTYPES:
        raise PydanticCustomError("half_dtype", "{dtype} is not supported: graphspec computes in float32 (or "
                                  "float64); Keras too casts a {dtype} input to float32 in the first layer",
                                  {"dtype": value, "hint": "declare dtype: float32 and pass the data as it is "
                                   "(float16 and bfloat16 values are exact in float32)"})
    return value


DType = Annotated[Literal[DTYPES], BeforeValidator(_not_half)]

Dim = Union[int, None, SymDim]  # a size, unknown (None), or named (T, T - 2): see dims.py


def broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """NumPy broadcasts an array of `shape` against `target` without changing it (as Keras's arithmetic does)."""
    try:
        return np.broadcast_shapes(tuple(shape), tuple(target)) == tuple(target)
    except ValueError:
        return False


def format_shape(shape: tuple[Dim, ...]) -> str:
    """(None, 62, 62, 64); a one-element tuple keeps its comma, as Python and Keras print it."""
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


@dataclass(frozen=True)
class TensorType:
    shape: tuple[Dim, ...]
    dtype: str = "float32"

    @classmethod
    def batched(cls, shape, dtype: str = "float32") -> "TensorType":
        """From a shape written without the batch dimension, as specs write it."""
        return cls((None, *shape), dtype)

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def is_integer(self) -> bool:
        return self.dtype in INTEGER_DTYPES

    @property
    def size(self) -> int | None:
        """Elements per sample, or None when a non-batch size is unknown or named (a number only the data fixes)."""
        dims = self.shape[1:]
        return None if any(d is None or isinstance(d, SymDim) for d in dims) else math.prod(dims)

    def with_shape(self, shape) -> "TensorType":
        return TensorType(tuple(shape), self.dtype)

    def with_dtype(self, dtype: str) -> "TensorType":
        return TensorType(self.shape, dtype)

    def __str__(self) -> str:
        return format_shape(self.shape)
