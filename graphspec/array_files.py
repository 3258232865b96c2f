""".npy and .npz files read without pickle and written exactly where asked, with errors that name the file.

NumPy's own errors name neither the file nor the fix (an empty file is "No data left in file", a text file
"contains pickled (object) data"), and np.save / np.savez append a suffix to a path that lacks it, so a
caller would report writing a file that does not exist.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from .diagnostics import RunError

NPY_MAGIC, ZIP_MAGIC = b"\x93NUMPY", b"PK\x03\x04"
SUFFIXES = (".npy", ".npz")


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
    if magic[:4] != ZIP_MAGIC and magic != NPY_MAGIC:
        problem = "the file is empty" if not magic else "it is not an .npy or .npz file"
        raise RunError(f"cannot read {what} from {path}: {problem} (np.save and np.savez write them)")
    try:
        loaded = np.load(path, allow_pickle=False)
        if isinstance(loaded, np.ndarray):
            return loaded
        with loaded:
            return {key: loaded[key] for key in loaded.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise RunError(f"cannot read {what} from {path}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if "pickle" in str(exc):
        return "it holds Python objects, which are read only with pickle; save numeric arrays"
    return str(exc) or type(exc).__name__


def writable(path: str | Path, what: str, suffixes=SUFFIXES) -> Path:
    """`path` if a file can be written there with one of `suffixes`, checked before any work is done."""
    path = Path(path)
    if path.suffix not in suffixes:
        raise RunError(f"{what} path {path} must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise RunError(f"{what} path {path} is a directory; name a file in it")
    if not path.parent.is_dir():
        raise RunError(f"cannot write {what} to {path}: the folder {path.parent} does not exist")
    return path


def write_arrays(path: str | Path, arrays: np.ndarray | dict[str, np.ndarray], what: str, suffixes=SUFFIXES) -> None:
    """One array to an .npy file or several by name to an .npz file, at exactly `path`."""
    path = writable(path, what, suffixes)
    try:
        with path.open("wb") as handle:
            if path.suffix == ".npz":
                np.savez(handle, **arrays)
            else:
                np.save(handle, arrays, allow_pickle=False)
    except OSError as exc:
        raise RunError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None
