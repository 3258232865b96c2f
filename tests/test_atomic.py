"""graphspec/atomic.py: a file is replaced whole, with an ordinary new file's permissions, or not at all: a failed write
keeps the earlier file as it was and leaves no temporary beside it."""
import os

import pytest

from graphspec import atomic


def test_write_text_and_bytes_replace_the_file_and_leave_nothing_else(tmp_path):
    path = tmp_path / "out.yaml"
    path.write_text("old")
    atomic.write_text(path, "new: é\n")
    assert path.read_text(encoding="utf-8") == "new: é\n"
    atomic.write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_a_new_file_has_the_permissions_the_umask_gives_not_the_temporarys(tmp_path):
    mask = os.umask(0o027)
    try:
        atomic.write_bytes(tmp_path / "model.onnx", b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "model.onnx").stat().st_mode & 0o777 == 0o640


def test_a_write_that_fails_part_way_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    path = tmp_path / "w.npz"
    path.write_bytes(b"old")
    with pytest.raises(OSError, match="No space left"):
        with atomic.replacing(path) as temporary:
            assert temporary.parent == tmp_path and temporary != path
            temporary.write_bytes(b"partial")
            raise OSError(28, "No space left on device")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["w.npz"]


def test_a_path_that_cannot_be_replaced_is_an_os_error_and_leaves_no_temporary(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic.write_text(tmp_path / "taken", "text")
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_a_missing_folder_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic.write_text(tmp_path / "nowhere" / "spec.yaml", "text")
    assert not (tmp_path / "nowhere").exists()
