"""A Keras model file -> a graphspec spec document, weights by layer, notes and diagnostics.

The document goes through graphspec's own reader and checker like a hand-written file; the weights are checked
against the shapes the checked spec gives each layer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..diagnostics import Code, Diagnostic
from . import legacy
from .containers import Source, read_source
from .layer_import import is_mask_operation, spec_layer
from .nested_blocks import fold, graph_name
from .problems import Problems
from .shared_calls import shared_use
from .topology import Topology, flatten
from .weight_import import layer_arrays

INTEGER_INPUT = {"Embedding"}


@dataclass
class Imported:
    document: dict
    weights: dict[str, dict[str, np.ndarray]]
    source: Source
    notes: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed_layers: set[str] = field(default_factory=set)


def import_file(path: str | Path) -> Imported:
    source = read_source(path)
    problems = Problems(str(path))
    notes = legacy.Notes()
    era = legacy.Era(source.keras_version, source.config)
    topology = flatten(source.config, problems)
    document = fold(spec_document(topology, era, problems, notes), topology.nested)
    arrays = layer_arrays(source, topology, problems, era, notes) if source.weights is not None else {}
    arrays = {graph_name(name, topology.nested): found for name, found in arrays.items()}
    weights = named_weights(document, arrays, problems)
    failed = problems.failed_layers()  # by Keras's flat names and by the names the checked spec gives them
    return Imported(document, weights, source, notes.lines(), problems.found,
                    failed | {graph_name(name, topology.nested) for name in failed})


def spec_document(topology: Topology, era, problems: Problems, notes) -> dict:
    masks = {call.name for call in topology.calls if is_mask_operation(call)}
    firsts = {call.name: call for call in topology.calls if not call.shares}
    layers = [_renamed(shared_use(call, firsts.get(call.shares), problems, masks) if call.shares
                       else spec_layer(call, era, problems, notes, masks), problems, notes)
              for call in topology.calls if call.name not in masks]
    inputs = {name: dict(declared) for name, declared in topology.inputs.items()}
    _integer_inputs(inputs, layers, problems)
    outputs = [o for o in topology.outputs if o]
    version = 2 if any(call.shares for call in topology.calls) else 1  # shared uses are format version 2
    document = {"graphspec": version, "name": topology.name, "inputs": inputs, "layers": layers}
    document["outputs"] = outputs[0] if len(outputs) == 1 else outputs
    return document


def _renamed(layer: dict, problems: Problems, notes) -> dict:
    """Keras 2 allowed '/' in a layer name, which graphspec (and Keras 3) refuse: it becomes '_'."""
    for key in ("name", "inputs", "shared"):
        value = layer.get(key)
        if isinstance(value, str) and "/" in value:
            layer[key] = value.replace("/", "_")
            if key == "name":
                notes.add("'/' in a layer name written as '_'", value)
        elif isinstance(value, list):
            layer[key] = [v.replace("/", "_") if isinstance(v, str) else v for v in value]
    return layer


def _integer_inputs(inputs: dict, layers: list[dict], problems: Problems) -> None:
    """A float input read only by an Embedding: Keras casts it to integers silently, graphspec declares it int32."""
    for name, declared in inputs.items():
        readers = [layer for layer in layers if name in _sources(layer)]
        if readers and all(r.get("type") in INTEGER_INPUT for r in readers) and declared["dtype"].startswith("float"):
            declared["dtype"] = "int32"
            problems.warning(Code.IMPORT_ASSUMED, readers[0]["name"], f"the input '{name}' is declared "
                             f"{'float32'} and feeds an Embedding, which Keras casts to integers silently",
                             "it is imported as int32: feed it integer token ids")


def _sources(layer: dict) -> list[str]:
    names = layer.get("inputs")
    return [names] if isinstance(names, str) else list(names or [])


def named_weights(document: dict, arrays: dict, problems: Problems) -> dict:
    """Each layer's arrays by graphspec's weight name, in Keras's order, each shape checked against the spec."""
    from ..infer import analyze
    from ..reader import read_spec
    from ..source import Document
    graph = analyze(read_spec(Document(document)))
    named = {}
    for layer, found in arrays.items():
        info = graph.nodes.get(layer)
        expected = info.weights if info is not None else {}
        if info is None or info.status != "ok" or info.layer is None or not (found or expected):
            continue
        named_layer = _match(layer, found, expected, problems)
        if named_layer is not None:
            named[layer] = named_layer
    return named


def _match(layer: str, found: list, expected: dict, problems: Problems) -> dict | None:
    if len(found) != len(expected):
        problems.error(Code.IMPORT_WEIGHTS, layer, f"the file holds {len(found)} weight arrays for this layer, its "
                       f"config gives it {len(expected)} ({', '.join(expected) or 'none'})",
                       "the weights were saved from another model than this config")
        return None
    by_name = {keras: array for keras, array in found if keras}
    names = list(expected)  # Keras's order within a layer is graphspec's; names, where the file has them, win
    arrays = [by_name[n] for n in names] if set(by_name) == set(expected) else [a for _, a in found]
    out = {}
    for name, array in zip(names, arrays):
        if tuple(array.shape) != tuple(expected[name]):
            problems.error(Code.IMPORT_WEIGHTS, layer, f"{name} has shape {tuple(array.shape)} in the file, the "
                           f"config gives it {tuple(expected[name])}", "the weights were saved from another "
                           "model than this config, or in a layout graphspec does not convert")
            return None
        out[name] = np.asarray(array)
    return out

