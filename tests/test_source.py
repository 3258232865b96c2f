from graphspec.diagnostics import Code
from graphspec.paths import format_path
from graphspec.source import MAX_BYTES, parse_text, read_file


def codes(diagnostics):
    return [(d.code, d.line, d.column) for d in diagnostics]


def test_yaml_positions_of_values_and_keys():
    document, diagnostics = parse_text("graphspec: 1\nlayers:\n  - type: Dense\n    units: 3\n")
    assert diagnostics == []
    assert document.data == {"graphspec": 1, "layers": [{"type": "Dense", "units": 3}]}
    assert document.where(("layers", 0, "units")) == {"file": None, "line": 4, "column": 12, "path": "layers[0].units"}
    assert document.where(("layers", 0, "units"), at_key=True)["column"] == 5
    assert document.where(("layers", 0, "missing"))["line"] == 3  # falls back to the enclosing layer


def test_json_values_come_from_json_and_positions_from_the_text():
    document, _ = parse_text('{"graphspec": 1,\n "rate": 1e-3,\n "layers": [{"units": 2}]}', "json")
    assert document.data["rate"] == 0.001
    assert document.where(("layers", 0, "units"))["line"] == 3


def test_json_syntax_error_is_located():
    assert codes(parse_text('{"a": 1,\n "b": }', "json")[1]) == [(Code.SYNTAX, 2, 7)]


def test_yaml_syntax_error_is_located():
    assert codes(parse_text("a: [1, 2\nb: 3\n")[1]) == [(Code.SYNTAX, 2, 2)]


def test_duplicate_key_is_reported_at_the_second_key():
    _, diagnostics = parse_text("a: 1\nb: 2\na: 3\n")
    assert codes(diagnostics) == [(Code.DUPLICATE_KEY, 3, 1)]
    assert diagnostics[0].path == "a"


def test_a_key_overriding_a_merged_one_is_not_a_duplicate():
    document, diagnostics = parse_text("base: &b {f: 8, k: 3}\nfirst: {<<: *b, f: 16}\n"
                                       "both: {<<: [*b, {f: 4, s: 2}], s: 1}\ntwice: {<<: *b, k: 1, k: 2}\n")
    assert document.data["first"] == {"f": 16, "k": 3}
    assert document.data["both"] == {"f": 8, "k": 3, "s": 1}  # the first mapping merged wins, the own key over all
    assert codes(diagnostics) == [(Code.DUPLICATE_KEY, 4, 23)] and diagnostics[0].path == "twice.k"


def test_scalars_follow_yaml_1_2_as_json_does():
    """PyYAML's YAML 1.1 would make `no` a boolean, 1e-3 a string and 010 the octal 8."""
    document, diagnostics = parse_text("a: 1e-3\nb: no\nc: on\nd: 010\ne: 1:30\nf: True\ng: '1e-3'\nh: -5\ni: .5\n"
                                       "j: +.5\nk: 2024-01-01\n")
    assert document.data == {"a": 0.001, "b": "no", "c": "on", "d": "010", "e": "1:30", "f": True, "g": "1e-3",
                             "h": -5, "i": 0.5, "j": 0.5, "k": "2024-01-01"}
    assert diagnostics == []


def test_python_tags_are_refused_on_scalars_and_collections():
    for text in ("a: !!python/name:os.system ''", "a: !!python/object/apply:os.system [ls]", "a: !custom {b: 1}"):
        document, diagnostics = parse_text(text)
        assert document is None and [d.code for d in diagnostics] == [Code.UNSAFE_TAG]


def test_alias_bomb_is_refused():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefg":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 10)}]")
    document, diagnostics = parse_text("\n".join(lines))
    assert document is None and [d.code for d in diagnostics] == [Code.ALIAS_BOMB]


def test_a_few_aliases_are_fine():
    document, diagnostics = parse_text("base: &b {units: 4}\nother: *b\n")
    assert diagnostics == [] and document.data["other"] == {"units": 4}


def test_document_must_be_a_mapping():
    for text in ("- 1\n- 2\n", "", "42"):
        assert [d.code for d in parse_text(text)[1]] == [Code.NOT_A_MAPPING]


def test_non_utf8_file_is_located(write):
    path = write(b"graphspec: 1\nname: caf\xe9\n")
    assert codes(read_file(path)[1]) == [(Code.NOT_UTF8, 2, 10)]


def test_utf8_bom_is_accepted(write):
    document, diagnostics = read_file(write("\ufeffgraphspec: 1\n".encode()))
    assert diagnostics == [] and document.data == {"graphspec": 1}


def test_too_large_file_is_refused_before_reading(write):
    path = write(b"#" * (MAX_BYTES + 1))
    assert [d.code for d in read_file(path)[1]] == [Code.TOO_LARGE]


def test_missing_file_is_unreadable(tmp_path):
    assert [d.code for d in read_file(tmp_path / "nope.yaml")[1]] == [Code.UNREADABLE]


def test_format_path():
    assert format_path(("layers", 3, "kernel_size")) == "layers[3].kernel_size"
    assert format_path(("inputs", "image", "shape", 0)) == "inputs.image.shape[0]"


def test_a_tab_that_starts_a_line_gets_the_tab_hint():
    """LibYAML says only 'found character that cannot start any token'."""
    _, diagnostics = parse_text("graphspec: 1\nlayers:\n\t- {type: Dense}\n")
    assert codes(diagnostics) == [(Code.SYNTAX, 3, 1)] and diagnostics[0].hint == "YAML indents with spaces, not tabs"


def test_json_trailing_comma_is_reported_at_the_comma():
    _, diagnostics = parse_text('{"graphspec": 1,\n "layers": [\n  {"type": "Dense"},\n ]\n}\n', "json")
    assert codes(diagnostics) == [(Code.SYNTAX, 3, 20)]
    assert (diagnostics[0].message, diagnostics[0].hint) == ("JSON syntax error: a comma after the last item",
                                                             "remove the comma: JSON allows none there")


def test_json_comments_get_a_hint():
    _, diagnostics = parse_text('{"graphspec": 1, // the version\n "layers": []}', "json")
    assert diagnostics[0].hint == "JSON has no comments: remove them, or write the spec in YAML"
