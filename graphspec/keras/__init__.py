"""Keras in and out: read Keras models of every era into specs and weights, write specs back as Keras 3 archives.

Reading and writing .keras and .h5 needs h5py only (`pip install graphspec[keras]`); a JSON config needs nothing.
Keras itself is never imported.
"""
from __future__ import annotations

from pathlib import Path

from ..diagnostics import SpecError
from .importer import Imported, import_file


def from_keras(path: str | Path):
    """(spec, weights) of a Keras model file: .keras, .h5, a to_json() config or a TensorFlow.js model.json.
    Problems the import found are kept on the spec with the rest, so `graphspec.check(spec)` reports them all;
    a file that cannot be read at all raises SpecError."""
    from ..reader import read_spec
    from ..source import Document
    imported = import_file(path)
    spec = read_spec(Document(imported.document, file=None))
    spec._diagnostics[:0] = imported.diagnostics
    return spec, imported.weights


def to_keras_archive(spec, weights, path: str | Path) -> None:
    """Writes a Keras 3 .keras archive (or a legacy .h5 by its suffix) of a spec (a Spec, a spec file or a checked
    graph) with `weights` (a weights dict, an .npz path, or None for the NumPy backend's seeded initial weights)."""
    from .export import checked, starting_weights, write_keras
    graph = checked(spec)
    write_keras(graph, starting_weights(graph, weights), path)


__all__ = ["from_keras", "to_keras_archive", "import_file", "Imported", "SpecError"]
