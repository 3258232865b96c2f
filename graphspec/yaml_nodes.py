"""YAML nodes -> plain data, with the position of every value and key.

Composing keeps each node's mark; walking the nodes builds the data while refusing what a spec must
not hold: tags that would build Python objects, alias expansion beyond what a spec needs, nesting
deeper than any spec, and duplicate keys (reported, not silently dropped as PyYAML does).
"""
from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from .diagnostics import Code, Diagnostic, error
from .paths import DocPath, format_path

MAX_DEPTH = 200
ALIAS_EXPANSION_LIMIT = 100_000  # nodes an alias may add beyond the document's own
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR, _BOOL, _INT, _FLOAT, _TIMESTAMP = (f"tag:yaml.org,2002:{t}" for t in ("str", "bool", "int", "float", "timestamp"))
# YAML 1.2's core schema, which JSON and every recent YAML library follow, where PyYAML follows YAML 1.1:
# only true/false are booleans (not yes, no, on, off: `name: no` stays a name), 1e-3 is a number (PyYAML needs
# a dot, and +.5), 010 or 1:30 are not integers (YAML 1.1 reads them as octal 8 and sexagesimal 90), and
# 2024-01-01 is text, not a date.
_BOOLEANS = {"true", "True", "TRUE", "false", "False", "FALSE"}
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_YAML11_INT = re.compile(r"[-+]?0[0-9_]+|.*:.*")


@functools.lru_cache(maxsize=8192)
def _scalar_tag(value: str, implicit: tuple) -> str:
    tag = _BASE_LOADER.resolve(_BASE_LOADER, yaml.ScalarNode, value, implicit)
    if (tag == _BOOL and value not in _BOOLEANS) or (tag == _INT and _YAML11_INT.fullmatch(value)) or tag == _TIMESTAMP:
        return _STR
    if tag == _STR and implicit[0] and _CORE_FLOAT.fullmatch(value):
        return _FLOAT
    return tag


class _Loader(_BASE_LOADER):
    """Tag resolution is a pure function of a scalar's text, yet PyYAML's regexes take half of composing a
    large spec (whose keys and values repeat layer after layer): it is cached."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _scalar_tag(value, implicit)
        return super().resolve(kind, value, implicit)
# YAML rejects JSON's escaped surrogate pairs; for positions only, swap them for escapes of the same length.
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_COLLECTION_TAGS = _PLAIN_TAGS | {"tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs", "tag:yaml.org,2002:set"}


class SourceError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class Walker:
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
        raise SourceError(error(code, message, hint, file=self.file, line=line, column=column))

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
        own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        self.constructor.flatten_mapping(node)  # YAML merge keys (<<): the merged pairs first, then the mapping's own
        merged = len(node.value) - own
        result: dict = {}
        own_keys: set = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = self._scalar(key_node)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                self.fail(Code.SYNTAX, "a mapping key must be a plain name", key_node)
            child = (*path, key)
            # A key of the mapping's own overrides a merged one, as YAML means; only two of its own are a mistake.
            if index >= merged and key in own_keys:
                line, column = _mark(key_node)
                self.diagnostics.append(error(Code.DUPLICATE_KEY, f"key '{key}' appears twice; the last one would win",
                                              "remove one of the two", file=self.file, line=line, column=column,
                                              path=format_path(child)))
            if index >= merged:
                own_keys.add(key)
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


def syntax_diagnostic(exc: yaml.YAMLError, file: str | None, text: str = "") -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
    # LibYAML's message does not name the character, so the line itself is looked at.
    lines = text.split("\n")
    tab_at_mark = bool(mark) and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]
    hint = "YAML indents with spaces, not tabs" if tab_at_mark or "\\t" in problem or "tab" in problem else None
    return error(Code.SYNTAX, f"YAML syntax error: {problem}", hint, file=file, **where)


def walk(text: str, file: str | None) -> Walker:
    walker = Walker(file)
    node = yaml.compose(text, Loader=_Loader)
    walker.data = None if node is None else walker.build(node)
    return walker
