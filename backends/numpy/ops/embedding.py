"""Embedding lookup: one gather."""
from __future__ import annotations

import numpy as np


def embedding_lookup(indices, table, oov_index=None):
    """keras.layers.Embedding forward: table[indices], shape (*indices.shape, output_dim).

    Indices outside [0, input_dim), negative ones included, map to row `oov_index` when it is
    set; otherwise they raise IndexError naming the first offending value and its position.
    """
    indices, table = np.asarray(indices), np.asarray(table)
    if indices.dtype.kind not in "iub":
        if indices.dtype.kind != "f" or not np.all(np.isfinite(indices)) or np.any(indices % 1):
            raise TypeError(f"embedding indices must be integers, got dtype {indices.dtype}")
        indices = indices.astype(np.int64)  # Keras casts float inputs holding whole numbers
    size = table.shape[0]
    # min and max first: two fast reductions, where the boolean mask costs two arrays the size of the ids.
    if indices.size and (indices.min() < 0 or indices.max() >= size):
        outside = (indices < 0) | (indices >= size)
        if oov_index is None:
            position = tuple(int(i) for i in np.argwhere(outside)[0])
            raise IndexError(f"index {indices[position]} at position {position} is outside [0, {size})")
        if not 0 <= oov_index < size:
            raise ValueError(f"oov_index {oov_index} is outside [0, {size})")
        indices = np.where(outside, oov_index, indices)
    return np.take(table, row_ids(indices), axis=0).reshape(*indices.shape, *table.shape[1:])


def row_ids(indices, table_rows=None, oov_index=None):
    """The ids as a flat intp array (take converts ids to intp itself, more slowly than astype does; a 1-D index
    gathers faster than a 2-D one); with table_rows and oov_index, ids outside the table mapped to oov_index."""
    flat = np.asarray(indices).reshape(-1).astype(np.intp, copy=False)
    if oov_index is not None and flat.size and (flat.min() < 0 or flat.max() >= table_rows):
        flat = np.where((flat < 0) | (flat >= table_rows), oov_index, flat)
    return flat
