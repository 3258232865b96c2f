"""The weight arrays of a model file, by flat layer name, in Keras's order within each layer.

A Keras 3 archive keeps a layer's variables at layers/<key>/vars/<i>, where <key> is the snake_case class name
made unique by a counter in the model's layer order (Keras's _save_container_state; a Sequential leaves its
InputLayer out, a Functional counts it) and a recurrent layer keeps them in its cell; a nested model has its own
layers/ group. Keras 2 HDF5 and TensorFlow.js name each weight <layer>/<weight>:0 instead; Keras 1 and Theano
layouts are converted as Keras 2 converted them (old_weights.py).
"""
from __future__ import annotations

import re

from ..layers.naming import snake_case
from .families import mapping_for
from .old_weights import converted, keras1_conv
from .topology import MODEL_CLASSES, Topology, layer_name

def layer_arrays(source, topology: Topology, problems, era=None, notes=None) -> dict[str, list]:
    kind, data = source.weights
    by_path = _keras3(data, topology) if kind == "keras3" else _named(data, topology)
    keras1 = era is not None and era.major == 1
    found = {}
    for call in topology.calls:
        if call.path in by_path and call.shares is None:  # a later call of a shared layer: no weights of its own
            found[call.name.replace("/", "_")] = converted(call.class_name, call.config, by_path[call.path], keras1,
                                                           source.backend)
            if keras1 and notes is not None and keras1_conv(call.class_name) and source.backend is None:
                notes.add("Keras 1 kernel read as TensorFlow's (a correlation), as Keras 2 read it: the file does "
                          "not say its backend; a Theano-trained kernel needs flipping", call.name)
    return found


def _keras3(arrays: dict, topology: Topology) -> dict[tuple, list]:
    found: dict[tuple, list] = {}
    _walk(arrays, topology, (), "", found)
    return found


def _walk(arrays: dict, topology: Topology, path: tuple, prefix: str, found: dict) -> None:
    layers = topology.models.get(path, [])
    sequential = path in topology.sequential
    counts: dict[str, int] = {}
    for layer in layers:
        if sequential and layer.get("class_name") == "InputLayer":
            continue
        if str(layer.get("module", "")).startswith("keras.src.ops"):
            continue  # operation nodes are not saved layers
        base = snake_case(re.sub(r"\W+", "", str(layer.get("class_name"))))
        counts[base] = counts.get(base, -1) + 1
        key = f"{base}_{counts[base]}" if counts[base] else base
        name = layer_name(layer)
        if layer.get("class_name") in MODEL_CLASSES:
            _walk(arrays, topology, (*path, name), f"{prefix}layers/{key}/", found)
            continue
        found[(*path, name)] = [(None, arrays[f"{where}{i}"]) for where in _weight_groups(layer, f"{prefix}layers/{key}")
                                for i in _indices(arrays, where)]


def _indices(arrays: dict, where: str) -> list[int]:
    return sorted(int(k[len(where):]) for k in arrays if k.startswith(where) and k[len(where):].isdigit())


def _weight_groups(layer: dict, group: str) -> list[str]:
    """Where a layer's variables are, in order: a wrapper keeps its inner layer's under layer/ (TimeDistributed) or
    forward_layer/ and backward_layer/ (Bidirectional), each in the inner layer's own place (cell/vars for RNNs)."""
    kind = str(layer.get("class_name"))
    inner = (layer.get("config") or {}).get("layer")
    if kind in ("TimeDistributed", "Bidirectional") and isinstance(inner, dict):
        own = mapping_for(str(inner.get("class_name"))).weights_path
        sides = ["layer"] if kind == "TimeDistributed" else ["forward_layer", "backward_layer"]
        return [f"{group}/{side}/{own}/" for side in sides]
    mapping = mapping_for(kind)
    return [f"{group}/{where}/" for where in mapping.weight_groups or (mapping.weights_path,)]


def _named(groups: list, topology: Topology) -> dict[tuple, list]:
    calls = {call.path: call for call in topology.calls if call.shares is None}  # a nested model's later call: none
    found: dict[tuple, list] = {}
    for top, entries in groups:
        if (top,) in calls:  # a top-level layer's own group: its weights, in order
            found[(top,)] = [(_weight_name(n), a) for n, a in entries]
            continue
        for name, array in entries:  # a nested model's group, or TensorFlow.js's flat list
            owner = _owner(name, calls)
            if owner is not None:
                found.setdefault(owner, []).append((_weight_name(name), array))
    return found


def _weight_name(name: str) -> str:
    return name.split("/")[-1].split(":")[0]


def _owner(name: str, calls: dict) -> tuple | None:
    parts = name.split(":")[0].split("/")[:-1]
    best, score = None, 0
    for path in calls:
        matched = sum(p in parts for p in path)
        if path[-1] in parts and matched > score:
            best, score = path, matched
    return best
