"""Helpers shared by the tests."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def analyze_text(text: str, format: str = "yaml"):
    """The checked graph of a spec given as text (never raises for a bad spec)."""
    from graphspec.infer import analyze
    from graphspec.reader import read_spec
    from graphspec.source import parse_text

    document, diagnostics = parse_text(text, format, file="spec.yaml")
    assert document is not None, diagnostics
    spec = read_spec(document)
    spec._diagnostics[:0] = diagnostics
    return analyze(spec)


def found(graph):
    """(code, line, column, layer) of each diagnostic, for exact assertions."""
    return [(d.code.value, d.line, d.column, d.layer) for d in graph.diagnostics]
