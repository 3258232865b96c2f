"""Files written whole or not at all: every file graphspec writes goes to a temporary name beside its path and is moved
onto the path (os.replace, atomic within a folder) only once complete, so a failed write, or a crash half-way, leaves
an earlier file at the path as it was and no temporary behind."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def replacing(path: str | Path):
    """A temporary path in `path`'s folder to write to, moved onto `path` when the block ends, or removed if it
    raises. OSError where the folder cannot be written or `path` cannot be replaced (a directory, say)."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file, not the temporary's 0600
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    with replacing(path) as temporary:
        temporary.write_bytes(data)


def write_text(path: str | Path, text: str) -> None:
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
