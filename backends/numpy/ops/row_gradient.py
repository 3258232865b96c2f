"""keras.layers.Embedding's backward, a scatter-add of d output's rows into the table rows their ids name."""
from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np


class RowGradient:
    """keras.layers.Embedding's backward: d table = the rows of d output added into the rows their ids name, a
    scatter-add that np.add.at does ~10x more slowly (benchmarks/embedding_gradient.py).

    The ids are sorted once; then the k-th occurrence of every id is gathered in one `take` per k into a compact
    array of per-id sums (the ids that occur more than k times are a prefix once sorted by count), and the few ids
    that occur very often add their remaining rows with one reduction each. The table-sized result is a buffer
    reused across steps (only the rows written last time and not now are cleared), so a step touches the ids' rows
    alone. The result is valid until the next call.
    """

    FEW = 64  # below this many ids left, each adds its remaining rows in one reduction

    def __init__(self):
        self.table = self.touched = self.sums = None

    def __call__(self, ids: np.ndarray, rows: np.ndarray, size: int) -> np.ndarray:
        ids = ids.reshape(-1)
        rows, source = _compact(rows, ids.size)
        table = self._table(size, rows)
        if ids.size == 0:
            self._clear_all_but(np.empty(0, np.intp))
            return table
        order = _argsort(ids, size)
        sorted_ids = ids[order]
        new = np.empty(ids.size, bool)
        new[0] = True
        np.not_equal(sorted_ids[1:], sorted_ids[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        counts, touched = np.diff(np.append(starts, ids.size)), sorted_ids[starts]
        self._clear_all_but(touched)
        sums, scratch = self._buffers(ids.size, rows)
        gather = order if source is None else source[order]

        def add(a, b):  # the distinct ids a..b-1 in id order: rows no other part reads or writes
            self._add(table, rows, gather, starts[a:b], counts[a:b], touched[a:b], sums[a:b], scratch[a:b])
        parts = _parts(starts, ids.size, rows.shape[1])
        if len(parts) == 1:
            add(*parts[0])
        else:
            list(_pool().map(add, *zip(*parts)))
        self.touched = touched
        return table

    def _table(self, size, rows):
        shape = (size, rows.shape[1])
        if self.table is None or self.table.shape != shape or self.table.dtype != rows.dtype:
            self.table, self.touched = np.zeros(shape, rows.dtype), None
        return self.table

    def _clear_all_but(self, touched):
        """Zeroes the rows the last call wrote that this one does not overwrite."""
        if self.touched is not None and self.touched.size:
            rewritten = np.zeros(self.table.shape[0], bool)
            rewritten[touched] = True
            self.table[self.touched[~rewritten[self.touched]]] = 0

    def _buffers(self, count, rows):
        if self.sums is None or self.sums.shape[0] < count or self.sums.shape[1:] != rows.shape[1:] \
                or self.sums.dtype != rows.dtype:
            self.sums = self.scratch = None  # freed before the new ones are made
            self.sums, self.scratch = np.empty((2, count, rows.shape[1]), rows.dtype)
        return self.sums, self.scratch

    def _add(self, table, rows, gather, starts, counts, touched, sums, scratch):
        most = int(counts.max())
        by_count = _argsort(most - counts, most)  # most often first: those occurring more than k times are a prefix
        starts, counts = starts[by_count], counts[by_count]
        np.take(rows, gather[starts], axis=0, out=sums, mode="clip")  # mode="clip": no buffered copy
        k, live = 1, 0
        while k < counts[0]:
            live = int(np.searchsorted(-counts, -k, side="left"))
            if live < self.FEW:
                break
            np.take(rows, gather[starts[:live] + k], axis=0, out=scratch[:live], mode="clip")
            np.add(sums[:live], scratch[:live], out=sums[:live])
            k += 1
        else:
            live = 0
        for j in range(live):
            sums[j] += np.take(rows, gather[starts[j] + k: starts[j] + counts[j]], axis=0).sum(axis=0)
        table[touched[by_count]] = sums


PARALLEL = 1 << 20  # values of d output from which the scatter-add is split between the cores


def _parts(starts, count, width) -> list[tuple[int, int]]:
    """Ranges of distinct ids with about equal rows, one per core (NumPy's take, add and scatter release the GIL:
    two cores gather rows at ~1.5x the speed of one), or a single range for small gradients."""
    workers = min(2, _cores()) if count * width >= PARALLEL else 1
    cuts = [0, *np.searchsorted(starts, [count * j // workers for j in range(1, workers)]).tolist(), starts.size]
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:]) if b > a]


def _argsort(values: np.ndarray, bound: int) -> np.ndarray:
    """The order that sorts values in [0, bound): NumPy's stable sort of 16-bit integers is a radix sort, O(n) and
    2-3x faster than sorting the ids as they come, where they fit."""
    if bound <= 1 << 16:
        return np.argsort(values.astype(np.uint16), kind="stable")
    return np.argsort(values)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@functools.cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(2, thread_name_prefix="row-gradient")


def _compact(rows: np.ndarray, count: int):
    """(rows, None) as (count, width); or, where the gradient is broadcast along some axes (a mean's backward
    spreads one row over every step), (the distinct rows, which of them each of the count ids receives), so the
    broadcast is never written out and the gathers read a small array that stays in cache."""
    lead = rows.shape[:-1]
    spread = tuple(stride == 0 and n > 1 for stride, n in zip(rows.strides[:-1], lead))
    if not any(spread):
        return rows.reshape(count, rows.shape[-1]), None
    distinct = rows[tuple(slice(0, 1) if s else slice(None) for s in spread)]
    which = np.arange(int(np.prod(distinct.shape[:-1]))).reshape(distinct.shape[:-1])
    return np.ascontiguousarray(distinct).reshape(-1, rows.shape[-1]), np.broadcast_to(which, lead).reshape(-1)
