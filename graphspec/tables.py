"""Pretrained embedding tables: NumPy .npy files and fastText/word2vec text .vec files.

A .vec file starts with a line 'count dim', then one word and its `dim` values per line; row i of the
table is the i-th word. Files are read without pickle. The checker reads only the header (the shape);
a backend reads the whole table.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from .array_files import float32_problem, read_arrays
from .diagnostics import RunError

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
    count, dim = int(first[0]), int(first[1])
    if not count or not dim:
        raise TableError(f"{path} announces {count} words of {dim} values: a table needs at least one of each")
    return count, dim


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
    """The whole table as float32, checked against its header, its numbers finite in float32."""
    shape = table_shape(path)
    table = _read_npy(path) if path.suffix.lower() == ".npy" else _read_vec(path, *shape)
    single, problem = float32_problem(table)
    if problem:
        raise TableError(f"the table {path} {problem}")
    return single


def _read_npy(path: Path) -> np.ndarray:
    try:
        return read_arrays(path, "the table")
    except RunError as exc:
        raise TableError(str(exc)) from None


def _read_vec(path: Path, count: int, dim: int) -> np.ndarray:
    """Lines 'word v1 .. v_dim', split at ASCII spaces only: fastText words may hold other whitespace (U+00A0)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            next(handle)  # the 'count dim' header
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "input contained no data": the count check says more
                table = np.loadtxt(_vec_values(handle, path, dim), dtype=np.float32, delimiter=" ", comments=None,
                                   quotechar=None, ndmin=2).reshape(-1, dim)
    except UnicodeDecodeError as exc:
        raise TableError(f"{path} is not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    except TableError:
        raise
    except ValueError:
        raise TableError(_first_non_number(path)) from None
    if len(table) != count:
        raise TableError(f"{path} announces {count} words in its first line but holds {len(table)}")
    return table


def _vec_values(handle, path: Path, dim: int):
    """Each line's values, the word cut off, after checking that there are `dim` of them."""
    for number, line in enumerate(handle, start=2):
        row = line.rstrip("\r\n").rstrip(" ")
        if not row:
            continue  # a blank line, such as one at the end
        if row.count(" ") != dim:
            raise TableError(f"{path}, line {number}: a word and {row.count(' ')} value(s), but the first line says "
                             f"{dim} per word (values are separated by single spaces)")
        yield row.split(" ", 1)[1]


def _first_non_number(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            for value in line.rstrip("\r\n").rstrip(" ").split(" ")[1:] if number > 1 else []:
                if not _is_number(value):
                    return f"{path}, line {number}: {value!r} is not a number"
    return f"{path}: a value is not a number"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
