"""Pretrained embedding tables: NumPy .npy files and fastText/word2vec text .vec files.

A .vec file starts with a line 'count dim', then one word and its `dim` values per line; row i of the
table is the i-th word. Files are read without pickle. The checker reads only the header (the shape);
a backend reads the whole table.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

SUFFIXES = (".npy", ".vec", ".txt")


class TableError(ValueError):
    """A table file that cannot be used; the message says what is wrong and how to fix it."""


def resolve(path: str, base_dir: Path | None) -> Path:
    """Relative paths are relative to the spec file, so a spec and its tables move together."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() or base_dir is None else base_dir / candidate


def _vec_header(path: Path) -> tuple[int, int]:
    with path.open("rb") as handle:
        first = handle.readline().split()
    if len(first) != 2 or not all(part.isdigit() for part in first):
        raise TableError(f"{path} does not start with a 'count dim' line, as fastText and word2vec .vec files do")
    return int(first[0]), int(first[1])


def _npy_header(path: Path) -> tuple[int, ...]:
    with path.open("rb") as handle:
        try:
            version = np.lib.format.read_magic(handle)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read_header(handle)
        except ValueError as exc:
            raise TableError(f"{path} is not a NumPy .npy file: {exc}") from None
    if dtype.hasobject:
        raise TableError(f"{path} holds Python objects; save a numeric array (np.save without objects)")
    return shape


def table_shape(path: Path) -> tuple[int, ...]:
    if not path.is_file():
        raise TableError(f"no table file at {path}")
    if path.suffix.lower() == ".npy":
        return _npy_header(path)
    if path.suffix.lower() in (".vec", ".txt"):
        return _vec_header(path)
    raise TableError(f"{path.name}: a table is an .npy file or a fastText/word2vec .vec text file")


def load_table(path: Path) -> np.ndarray:
    """The whole table as float32, checked against its header and for NaN."""
    shape = table_shape(path)
    if path.suffix.lower() == ".npy":
        table = np.load(path, allow_pickle=False)
    else:
        count, dim = shape
        table = np.loadtxt(path, dtype=np.float32, skiprows=1, usecols=range(1, dim + 1), comments=None, ndmin=2)
        if table.shape != (count, dim):
            raise TableError(f"{path} announces {count} × {dim} but holds {table.shape[0]} × {table.shape[1]} values")
    if not np.isfinite(table).all():
        raise TableError(f"{path} holds NaN or infinite values")
    return table.astype(np.float32, copy=False)
