"""The NumPy backend: compiles a checked graph into a Model that runs with NumPy alone.

Registered under the name "numpy" in the `graphspec.backends` entry-point group (see pyproject.toml).
"""
from __future__ import annotations

from graphspec.checked import CheckedGraph

from .model import Model
from .weights import Weights, initial_weights, read_weights


class NumpyBackend:
    name = "numpy"

    def compile(self, graph: CheckedGraph, seed: int = 0, weights: Weights | str | None = None) -> Model:
        """Keras-default initial weights from `seed`, or `weights` (a dict by layer, or an .npz path)."""
        if isinstance(weights, str) or hasattr(weights, "__fspath__"):
            return Model(graph, read_weights(weights), f"weights in {weights}")
        return Model(graph, weights if weights is not None else initial_weights(graph, seed))


__all__ = ["NumpyBackend", "Model"]
