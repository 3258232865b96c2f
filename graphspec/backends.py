"""Execution backends, found by name in the `graphspec.backends` entry-point group.

graphspec never imports a backend by module name: backends/ (installed as graphspec_backends) and
third-party packages register themselves, so the dependency runs from them to graphspec only.
"""
from __future__ import annotations

from importlib.metadata import entry_points

from .checked import CheckedGraph
from .diagnostics import SpecError

GROUP = "graphspec.backends"


def available_backends() -> list[str]:
    return sorted(ep.name for ep in entry_points(group=GROUP))


def get_backend(name: str):
    found = [ep for ep in entry_points(group=GROUP) if ep.name == name]
    if not found:
        known = ", ".join(available_backends()) or "none (is graphspec installed with pip?)"
        raise ValueError(f"no backend named {name!r}; installed backends: {known}")
    return found[0].load()


def compile(graph: CheckedGraph, backend: str = "numpy", **options):
    """Compiles a checked graph into a callable model, e.g. `compile(graph, seed=0)(x)`."""
    if not isinstance(graph, CheckedGraph):
        raise TypeError("compile takes a checked graph: graphspec.compile(graphspec.check(spec))")
    if not graph.ok:
        raise SpecError(graph.diagnostics, graph)
    return get_backend(backend)().compile(graph, **options)
