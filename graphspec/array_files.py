""".npy and .npz files read without pickle and written exactly where asked, with errors that name the file.

NumPy's own errors name neither the file nor the fix (an empty file is "No data left in file", a text file
"contains pickled (object) data"), and np.save / np.savez append a suffix to a path that lacks it, so a
caller would report writing a file that does not exist.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np

from . import atomic
from .diagnostics import RunError

NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # an archive with members, and an empty one
SUFFIXES = (".npy", ".npz")  # exactly: np.save and np.savez append theirs to any other ending, '.NPY' included
FLOAT32_LIMIT = "±3.4e38"


def read_arrays(path: str | Path, what: str) -> np.ndarray | dict[str, np.ndarray]:
    """The array of an .npy file, or the arrays of an .npz file by name. `what` says what the file is for."""
    path = Path(path)
    if not path.is_file():
        problem = "it is a directory" if path.is_dir() else "not a regular file" if path.exists() else "no such file"
        raise RunError(f"cannot read {what} from {path}: {problem}")
    try:
        with path.open("rb") as handle:
            magic = handle.read(6)
    except OSError as exc:
        raise RunError(f"cannot read {what} from {path}: {exc.strerror or exc}") from None
    if magic[:4] not in ZIP_MAGICS and magic != NPY_MAGIC:
        problem = "the file is empty" if not magic else "it is not an .npy or .npz file"
        raise RunError(f"cannot read {what} from {path}: {problem} (np.save and np.savez write them)")
    try:
        loaded = np.load(path, allow_pickle=False)
        if isinstance(loaded, np.ndarray):
            return loaded
        with loaded:
            return {key: loaded[key] for key in loaded.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise RunError(f"cannot read {what} from {path}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if "pickle" in str(exc):
        return "it holds Python objects, which are read only with pickle; save numeric arrays"
    return str(exc) or type(exc).__name__


def writable(path: str | Path, what: str, suffixes=SUFFIXES) -> Path:
    """`path` if a file can be written there with one of `suffixes`, checked before any work is done."""
    if not str(path):
        raise RunError(f"{what} path is empty; name a file ending in {' or '.join(suffixes)}")
    path = Path(path)
    if path.is_dir():
        raise RunError(f"{what} path {path} is a directory; name a file in it")
    if path.suffix not in suffixes:
        raise RunError(f"{what} path {path} must end in {' or '.join(suffixes)}")
    if not path.parent.is_dir():
        problem = "is a file, not a folder" if path.parent.exists() else "does not exist"
        raise RunError(f"cannot write {what} to {path}: the folder {path.parent} {problem}")
    return path


def write_arrays(path: str | Path, arrays: np.ndarray | dict[str, np.ndarray], what: str, suffixes=SUFFIXES) -> None:
    """One array to an .npy file or several by name to an .npz file, at exactly `path`, atomically (atomic.py). NumPy
    writes to an open file, since given a path it would add a suffix to the temporary's name."""
    path = writable(path, what, suffixes)
    try:
        with atomic.replacing(path) as temporary, open(temporary, "wb") as handle:
            if path.suffix == ".npz":
                np.savez(handle, **arrays)
            else:
                np.save(handle, arrays, allow_pickle=False)
    except OSError as exc:
        raise RunError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None


def float32_problem(array: np.ndarray) -> tuple[np.ndarray | None, str | None]:
    """(array as float32, None), or (None, what keeps it from being one: text, complex numbers, or values that are
    not finite in float32 — NaN, infinities, or beyond its range, where a cast would make them infinite)."""
    if array.dtype.kind not in "biuf":
        return None, f"has dtype {array.dtype}; it must hold real numbers"
    with np.errstate(over="ignore"):
        single = array.astype(np.float32)
    if not np.isfinite(single).all():
        return None, f"holds NaN, infinite values or values beyond float32's range ({FLOAT32_LIMIT})"
    return single, None
