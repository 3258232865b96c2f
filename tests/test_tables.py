import numpy as np
import pytest

from graphspec.tables import TableError, load_table, resolve, table_shape
from support import SPECS, analyze_text


def test_vec_file_header_and_rows(tmp_path):
    path = tmp_path / "t.vec"
    path.write_text("3 2\nthe 0.5 -1\n# 2 3\n, 0 0.25\n")
    assert table_shape(path) == (3, 2)
    np.testing.assert_array_equal(load_table(path), np.array([[0.5, -1], [2, 3], [0, 0.25]], np.float32))


def test_vec_file_with_fewer_rows_than_announced(tmp_path):
    path = tmp_path / "t.vec"
    path.write_text("3 2\nthe 0.5 -1\n")
    with pytest.raises(TableError, match="announces 3 words in its first line but holds 1"):
        load_table(path)


@pytest.mark.parametrize("rows, message", [
    ("the 0.5 -1 7\n", r"line 2: a word and 3 value\(s\), but the first line says 2 per word"),
    ("the 0.5\n", r"line 2: a word and 1 value\(s\), but the first line says 2"),
    ("the 0.5 -1\nof 1 x2\n", r"line 3: 'x2' is not a number"),
])
def test_vec_rows_must_hold_the_announced_numbers(tmp_path, rows, message):
    path = tmp_path / "t.vec"
    path.write_text("2 2\n" + rows)
    with pytest.raises(TableError, match=message):
        load_table(path)


def test_vec_words_may_hold_unicode_spaces_and_lines_end_in_crlf(tmp_path):
    """fastText vocabularies hold tokens such as U+00A0; only ASCII spaces separate the fields."""
    path = tmp_path / "t.vec"
    path.write_bytes("2 2\r\n\u00a0 1 2 \r\na\u2028b 3 4\r\n\r\n".encode())
    np.testing.assert_array_equal(load_table(path), np.array([[1, 2], [3, 4]], np.float32))


def test_vec_not_utf8(tmp_path):
    path = tmp_path / "t.vec"
    path.write_bytes("1 1\ncaf\u00e9 1\n".encode("latin-1"))
    with pytest.raises(TableError, match="is not UTF-8 text"):
        load_table(path)


@pytest.mark.parametrize("array, message", [
    (np.full((2, 2), "a"), "has dtype <U1; it must hold real numbers"),
    (np.ones((2, 2), complex), "has dtype complex128"),
    (np.full((2, 2), 1e300), r"holds NaN, infinite values or values beyond float32's range \(±3.4e38\)"),
])
def test_npy_that_is_not_a_float32_table(tmp_path, array, message):
    np.save(tmp_path / "t.npy", array)
    with pytest.raises(TableError, match=message):
        load_table(tmp_path / "t.npy")


def test_truncated_npy_names_the_file(tmp_path):
    np.save(tmp_path / "t.npy", np.ones((20, 4)))
    (tmp_path / "t.npy").write_bytes((tmp_path / "t.npy").read_bytes()[:200])
    with pytest.raises(TableError, match=f"cannot read the table from {tmp_path / 't.npy'}"):
        load_table(tmp_path / "t.npy")


@pytest.mark.parametrize("header", ["0 2", "2 0"])
def test_vec_needs_a_word_and_a_value(tmp_path, header):
    path = tmp_path / "t.vec"
    path.write_text(header + "\n")
    with pytest.raises(TableError, match="a table needs at least one of each"):
        table_shape(path)


def test_vec_value_beyond_float32(tmp_path):
    path = tmp_path / "t.vec"
    path.write_text("1 2\nw 1 1e39\n")
    with pytest.raises(TableError, match="beyond float32's range"):
        load_table(path)


def test_npy_header_is_read_without_loading(tmp_path):
    np.save(tmp_path / "t.npy", np.zeros((7, 4), np.float64))
    assert table_shape(tmp_path / "t.npy") == (7, 4)
    assert load_table(tmp_path / "t.npy").dtype == np.float32


def test_npy_with_objects_and_nan_are_refused(tmp_path):
    np.save(tmp_path / "o.npy", np.array([{}], dtype=object), allow_pickle=True)
    with pytest.raises(TableError, match="Python objects"):
        table_shape(tmp_path / "o.npy")
    np.save(tmp_path / "n.npy", np.array([[np.nan]], np.float32))
    with pytest.raises(TableError, match="NaN"):
        load_table(tmp_path / "n.npy")


def test_paths_resolve_relative_to_the_spec(tmp_path):
    assert resolve("tables/a.vec", tmp_path) == tmp_path / "tables/a.vec"
    assert resolve("/abs/a.vec", tmp_path).as_posix() == "/abs/a.vec"


def test_checker_reports_a_missing_table():
    graph = analyze_text("graphspec: 1\nlayers:\n  - {type: Embedding, input_dim: 3, output_dim: 2, input_shape: [4],"
                         " embeddings: nowhere.npy}\n")
    (diagnostic,) = graph.diagnostics
    assert (diagnostic.code.value, diagnostic.path) == ("GS602", "layers[0].embeddings")


def test_shipped_demo_table_matches_its_spec():
    assert table_shape(SPECS / "tables" / "demo_vectors.vec") == (51, 8)
