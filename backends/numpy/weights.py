"""Weights by layer name and Keras weight name: initial ones, checks of given ones, and .npz files (no pickle)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from graphspec.checked import CheckedGraph
from graphspec.diagnostics import RunError

from .initializers import layer_rng
from .kernels import KERNELS

Weights = dict[str, dict[str, np.ndarray]]


def initial_weights(graph: CheckedGraph, seed: int) -> Weights:
    document = graph.spec.document
    base_dir = document.base_dir if document else None
    return {name: KERNELS[info.layer.kind].initial_weights(info.layer, info.weights, layer_rng(seed, name), base_dir)
            for name, info in graph.nodes.items() if info.weights}


def checked_weights(graph: CheckedGraph, given: Weights, source: str = "the weights") -> Weights:
    """Every layer's weights present, of the right shapes, finite, as float32; nothing extra."""
    expected = {name: info.weights for name, info in graph.nodes.items() if info.weights}
    wanted = {f"{layer}/{w}" for layer, shapes in expected.items() for w in shapes}
    found = {f"{layer}/{w}" for layer, arrays in given.items() for w in arrays}
    if wanted != found:
        missing, extra = sorted(wanted - found), sorted(found - wanted)
        raise RunError(f"{source} do not fit the spec: " + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unexpected {', '.join(extra)}"] if extra else [])))
    checked: Weights = {}
    for layer, shapes in expected.items():
        checked[layer] = {}
        for w, shape in shapes.items():
            array = np.asarray(given[layer][w])
            if array.shape != tuple(shape):
                raise RunError(f"{source}: {layer}/{w} has shape {array.shape}, the spec needs {tuple(shape)}")
            if array.dtype.kind not in "biuf" or not np.isfinite(array).all():
                raise RunError(f"{source}: {layer}/{w} holds NaN, infinite or non-numeric values")
            checked[layer][w] = array.astype(np.float32)
    return checked


def save_weights(weights: Weights, path: str | Path) -> None:
    np.savez(path, **{f"{layer}/{w}": array for layer, arrays in weights.items() for w, array in arrays.items()})


def read_weights(path: str | Path) -> Weights:
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise RunError(f"cannot read weights from {path}: {exc}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise RunError(f"{path} holds one array; weights are an .npz file of 'layer/weight' arrays (save_weights)")
    with archive:
        try:
            flat = {key: archive[key] for key in archive.files}
        except ValueError as exc:  # an object array, which would need pickle
            raise RunError(f"cannot read weights from {path}: {exc}") from None
    weights: Weights = {}
    for key, array in flat.items():
        layer, _, name = key.rpartition("/")
        weights.setdefault(layer, {})[name] = array
    return weights
