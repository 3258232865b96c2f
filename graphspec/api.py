"""The Python API: load or build a spec, check it, compile it for a backend, render it."""
from __future__ import annotations

from pathlib import Path

from .checked import CheckedGraph
from .collection import collection_paused
from .diagnostics import SpecError
from .infer import analyze
from .reader import read_spec
from .schema import Spec
from .source import parse_text, read_file


def _spec_or_raise(document, diagnostics) -> Spec:
    if document is None:
        raise SpecError(diagnostics)
    spec = read_spec(document)
    spec._diagnostics[:0] = diagnostics
    return spec


def load(path: str | Path) -> Spec:
    """Reads a YAML or JSON spec file (by extension). Raises SpecError only when the file cannot be read or parsed;
    problems in its content are kept on the spec and reported, with everything else, by `check`."""
    return _spec_or_raise(*read_file(path))


def loads(text: str, format: str = "yaml") -> Spec:
    """Like `load`, from a string; `format` is "yaml" or "json"."""
    if format not in ("yaml", "json"):
        raise ValueError(f'format must be "yaml" or "json", got {format!r}')
    return _spec_or_raise(*parse_text(text, format))


def check(spec: Spec | str | Path) -> CheckedGraph:
    """Checks a spec (or the spec file at a path): the checked graph, or SpecError carrying every diagnostic."""
    with collection_paused():  # one pause over reading and checking (collection.py)
        graph = analyze(spec if isinstance(spec, Spec) else load(spec))
    if not graph.ok:
        raise SpecError(graph.diagnostics, graph)
    return graph
