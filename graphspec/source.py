"""Text -> plain data plus a source map from each document path to its line and column.

YAML and JSON share one mechanism: `yaml.compose` gives every node a mark, JSON being (for
positions) a subset of YAML. Values of a JSON file come from the json module, whose number and
escape rules are JSON's own. Files too large or not UTF-8 are refused before parsing.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .diagnostics import Code, Diagnostic, error
from .paths import DocPath, format_path
from .yaml_nodes import SourceError, syntax_diagnostic, walk

MAX_BYTES = 10 * 1024 * 1024
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")


@dataclass
class Document:
    """A parsed spec file: its data and where each part of it stands in the text.

    For JSON, positions are found only when first asked for: a valid file is never composed twice.
    """

    data: Any
    file: str | None = None
    base_dir: Path | None = None
    positions: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    locate: Callable[[], tuple[dict, dict]] | None = None

    def where(self, path: DocPath, at_key: bool = False) -> dict:
        """file, line, column and path for a diagnostic; the nearest enclosing node when `path` has none."""
        if self.locate is not None:
            self.positions, self.key_positions = self.locate()
            self.locate = None
        table = self.key_positions if at_key else self.positions
        probe = tuple(path)
        while probe and probe not in table and probe not in self.positions:
            probe = probe[:-1]
        line, column = table.get(probe) or self.positions.get(probe, (None, None))
        return {"file": self.file, "line": line, "column": column, "path": format_path(path) or None}


def _json_positions(text: str, file: str | None) -> tuple[dict, dict]:
    """Positions from composing the text as YAML (JSON's escaped surrogate pairs swapped for same-length ones)."""
    try:
        walker = walk(_SURROGATE_ESCAPE.sub(r"\\u0020\\u0020", text), file)
    except (yaml.YAMLError, SourceError):
        return {}, {}  # valid JSON that YAML cannot compose: values are right, positions are lost
    return walker.positions, walker.key_positions


def _refuse_duplicates(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) < len(pairs):
        raise _DuplicateKey()
    return result


class _DuplicateKey(Exception):
    pass


def _parse_json(text: str, file: str | None, base_dir: Path | None) -> tuple[Any, list[Diagnostic]]:
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicates)
    except json.JSONDecodeError as exc:
        raise SourceError(_json_syntax(exc, text, file)) from None
    except RecursionError:
        raise SourceError(error(Code.SYNTAX, "the document is nested too deeply", file=file))
    except _DuplicateKey:  # rare: compose now, to say where
        walker = walk(_SURROGATE_ESCAPE.sub(r"\\u0020\\u0020", text), file)
        data = json.loads(text)
        document = Document(data, file, base_dir, walker.positions, walker.key_positions)
        return document, walker.diagnostics
    return Document(data, file, base_dir, locate=lambda: _json_positions(text, file)), []


def _json_syntax(exc: json.JSONDecodeError, text: str, file: str | None) -> Diagnostic:
    """JSON's own error, with a hint for what people bring from Python and JavaScript: a comma after the last item
    (reported at the comma, not at the bracket after it) and // or /* comments."""
    before = text[: exc.pos].rstrip()
    if before.endswith(",") and text[exc.pos: exc.pos + 1] in "]}":
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n") - 1
        return error(Code.SYNTAX, "JSON syntax error: a comma after the last item", "remove the comma: JSON allows none "
                     "there", file=file, line=line, column=column)
    comment = text[exc.pos: exc.pos + 2] in ("//", "/*")
    hint = "JSON has no comments: remove them, or write the spec in YAML" if comment else None
    return error(Code.SYNTAX, f"JSON syntax error: {exc.msg}", hint, file=file, line=exc.lineno, column=exc.colno)


def parse_text(text: str, format: str = "yaml", file: str | None = None, base_dir: Path | None = None):
    """Returns (Document or None, diagnostics). Never raises on bad input."""
    try:
        if format == "json":
            document, diagnostics = _parse_json(text, file, base_dir)
        else:
            walker = walk(text, file)
            document = Document(walker.data, file, base_dir, walker.positions, walker.key_positions)
            diagnostics = walker.diagnostics
    except SourceError as exc:
        return None, [exc.diagnostic]
    except yaml.YAMLError as exc:
        return None, [syntax_diagnostic(exc, file, text)]
    if not isinstance(document.data, dict):
        found = "nothing" if document.data is None else f"a {type(document.data).__name__}"
        return None, [*diagnostics, error(Code.NOT_A_MAPPING, f"a spec must be a mapping, but this file holds {found}",
                                          "start from `graphspec: 1`, then `layers:` (see `graphspec schema`)",
                                          file=file, line=1, column=1)]
    return document, diagnostics


def format_for(path: Path) -> str:
    return "json" if path.suffix.lower() == ".json" else "yaml"


def read_file(path: str | Path):
    """Returns (Document or None, diagnostics) for a spec file, refusing what is too large or not UTF-8."""
    path = Path(path)
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [error(Code.TOO_LARGE, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; refused",
                                "a spec describes layers, not data: keep weights in .npy files", file=name)]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(Code.UNREADABLE, f"cannot read the file: {exc.strerror or exc}", file=name)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(Code.NOT_UTF8, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                            "save the file as UTF-8", file=name, line=line, column=column)]
    return parse_text(text, format_for(path), name, path.parent)
