"""Text -> plain data plus a source map from each document path to its line and column.

YAML and JSON share one mechanism: `yaml.compose` gives every node a mark, JSON being (for
positions) a subset of YAML. Values of a JSON file come from the json module, whose number and
escape rules are JSON's own.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .diagnostics import Code, Diagnostic, error

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 200
ALIAS_EXPANSION_LIMIT = 100_000  # nodes an alias may add beyond the document's own
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=8192)
def _scalar_tag(value: str, implicit: tuple) -> str:
    return _BASE_LOADER.resolve(_BASE_LOADER, yaml.ScalarNode, value, implicit)


class _LOADER(_BASE_LOADER):
    """Tag resolution is a pure function of a scalar's text, yet PyYAML's regexes take half of composing a
    large spec (whose keys and values repeat layer after layer): it is cached."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _scalar_tag(value, implicit)
        return super().resolve(kind, value, implicit)
# YAML rejects JSON's escaped surrogate pairs; for positions only, swap them for escapes of the same length.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_COLLECTION_TAGS = _PLAIN_TAGS | {"tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs", "tag:yaml.org,2002:set"}

DocPath = tuple[str | int, ...]


def format_path(path: DocPath) -> str:
    """('layers', 3, 'kernel_size') -> 'layers[3].kernel_size'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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


class _SourceError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    """Builds data from composed nodes, recording positions, duplicate keys and alias expansion."""

    def __init__(self, file: str | None):
        self.file = file
        self.constructor = yaml.constructor.SafeConstructor()
        self.positions: dict = {}
        self.key_positions: dict = {}
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.expanded = 0
        self.data: Any = None

    def fail(self, code: Code, message: str, node, hint: str | None = None):
        line, column = _mark(node)
        raise _SourceError(error(code, message, hint, file=self.file, line=line, column=column))

    def build(self, node, path: DocPath = ()) -> Any:
        if len(path) > MAX_DEPTH:
            self.fail(Code.SYNTAX, f"the document is nested more than {MAX_DEPTH} levels deep", node)
        self._count(node)
        self.positions.setdefault(path, _mark(node))
        if node.tag not in _PLAIN_TAGS and not isinstance(node, yaml.ScalarNode):
            self._refuse_tag(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _count(self, node) -> None:
        if id(node) in self.seen:
            self.expanded += 1
            if self.expanded > ALIAS_EXPANSION_LIMIT:
                self.fail(Code.ALIAS_BOMB, "YAML aliases expand this document beyond what a spec needs "
                          f"(more than {ALIAS_EXPANSION_LIMIT:,} repeated nodes); refused", node,
                          "write the repeated parts out, or use fewer nested aliases")
        self.seen.add(id(node))

    def _mapping(self, node, path: DocPath) -> dict:
        self.constructor.flatten_mapping(node)  # YAML merge keys (<<)
        result: dict = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                self.fail(Code.SYNTAX, "a mapping key must be a plain name", key_node)
            child = (*path, key)
            if key in result:
                line, column = _mark(key_node)
                self.diagnostics.append(error(Code.DUPLICATE_KEY, f"key '{key}' appears twice; the last one would win",
                                              "remove one of the two", file=self.file, line=line, column=column,
                                              path=format_path(child)))
            self.key_positions[child] = _mark(key_node)
            result[key] = self.build(value_node, child)
        return result

    def _scalar(self, node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(Code.SYNTAX, "a mapping key must be a plain name, not a list or mapping", node)
        construct = self.constructor.yaml_constructors.get(node.tag)
        if construct is None or node.tag in _COLLECTION_TAGS:
            self._refuse_tag(node)
        try:
            return construct(self.constructor, node)  # the safe constructor's own scalar rule, without its bookkeeping
        except (yaml.constructor.ConstructorError, ValueError):
            self.fail(Code.SYNTAX, f"'{node.value}' is not a valid {node.tag.rpartition(':')[2]}", node)

    def _refuse_tag(self, node) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.fail(Code.UNSAFE_TAG, f"the YAML tag {tag} is not allowed in a spec", node,
                  "specs hold plain data: remove the tag (graphspec never builds Python objects from a file)")


def _syntax_diagnostic(exc: yaml.YAMLError, file: str | None) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
    hint = "YAML indents with spaces, not tabs" if "\\t" in problem or "tab" in problem else None
    return error(Code.SYNTAX, f"YAML syntax error: {problem}", hint, file=file, **where)


def _walk(text: str, file: str | None) -> _Walker:
    walker = _Walker(file)
    node = yaml.compose(text, Loader=_LOADER)
    walker.data = None if node is None else walker.build(node)
    return walker


def _json_positions(text: str, file: str | None) -> tuple[dict, dict]:
    """Positions from composing the text as YAML (JSON's escaped surrogate pairs swapped for same-length ones)."""
    try:
        walker = _walk(_SURROGATE_ESCAPE.sub(r"\\u0020\\u0020", text), file)
    except (yaml.YAMLError, _SourceError):
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
        raise _SourceError(error(Code.SYNTAX, f"JSON syntax error: {exc.msg}", file=file,
                                 line=exc.lineno, column=exc.colno))
    except RecursionError:
        raise _SourceError(error(Code.SYNTAX, "the document is nested too deeply", file=file))
    except _DuplicateKey:  # rare: compose now, to say where
        walker = _walk(_SURROGATE_ESCAPE.sub(r"\\u0020\\u0020", text), file)
        data = json.loads(text)
        document = Document(data, file, base_dir, walker.positions, walker.key_positions)
        return document, walker.diagnostics
    return Document(data, file, base_dir, locate=lambda: _json_positions(text, file)), []


def parse_text(text: str, format: str = "yaml", file: str | None = None, base_dir: Path | None = None):
    """Returns (Document or None, diagnostics). Never raises on bad input."""
    try:
        if format == "json":
            document, diagnostics = _parse_json(text, file, base_dir)
        else:
            walker = _walk(text, file)
            document = Document(walker.data, file, base_dir, walker.positions, walker.key_positions)
            diagnostics = walker.diagnostics
    except _SourceError as exc:
        return None, [exc.diagnostic]
    except yaml.YAMLError as exc:
        return None, [_syntax_diagnostic(exc, file)]
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
