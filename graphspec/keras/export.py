"""A checked graph and its weights -> a Keras 3 .keras archive (config.json, metadata.json, model.weights.h5 in
Keras's layout), a legacy Keras .h5, or the bare JSON config; every file written atomically."""
from __future__ import annotations

import datetime
import io
import json
import zipfile
from pathlib import Path

import numpy as np

from .. import atomic
from ..blocks.weights import weight_owner
from ..diagnostics import SpecError
from ..layers.naming import snake_case
from .families import mapping_for
from .export_layers import KerasLayer, keras_layers, unsupported
from .keras_order import keras_order
from .problems import need_h5py

KERAS_VERSION = "3.15.1"  # the Keras the archives are checked against (tests/fixtures/keras/io)
SUFFIXES = (".keras", ".h5", ".json")


def checked(spec):
    """A checked graph from a Spec, a spec file or a checked graph (SpecError if it has errors)."""
    from ..api import check
    from ..checked import CheckedGraph
    return spec if isinstance(spec, CheckedGraph) and spec.ok else check(spec)


def starting_weights(graph, weights, seed: int = 0):
    """Given weights (a dict or an .npz path), or the NumPy backend's initial weights from `seed`."""
    from ..backends import compile
    model = compile(graph, backend="numpy", seed=seed)
    if weights is not None:
        model.load_weights(weights) if isinstance(weights, (str, Path)) else model.set_weights(weights)
    return model.get_weights()


def keras_shape(tensor) -> list:
    """Keras has no named sizes: T is None there."""
    return [n if n is None or isinstance(n, int) else None for n in tensor.shape]


def keras_name(name: str) -> str:
    """Keras 3 refuses '/' in a layer name: a block's stage/conv is stage_conv there (the importer reads it so)."""
    return name.replace("/", "_")


def _history(graph, ref: str, produced: dict) -> list:
    """Keras's [layer, node, tensor] for a reference: `encoder:state_c` is tensor 2 of the encoder's outputs."""
    node = graph.node_of(ref)
    return [*produced[node], graph[node].refs(node).index(ref)]


def _tensor(graph, ref: str, produced: dict) -> dict:
    output = graph.tensor(ref)
    return {"class_name": "__keras_tensor__", "config": {"shape": keras_shape(output), "dtype": output.dtype,
                                                         "keras_history": _history(graph, ref, produced)}}


def _call(info, tensors: list) -> tuple[list, dict]:
    """The call's positional tensors and its keyword ones: reference fields (initial_state) are Keras call arguments."""
    kwargs = {}
    for field, refs in reversed(info.layer.references().items()):
        tensors, kwargs[field] = tensors[: -len(refs)], tensors[-len(refs):]
    if mapping_for(info.layer.kind).positional:
        return tensors, kwargs
    return ([tensors[0]] if info.layer.max_inputs == 1 else [tensors]), kwargs


def _input_record(graph, name: str) -> KerasLayer:
    output = graph[name].output
    config = {"batch_shape": keras_shape(output), "dtype": output.dtype, "sparse": False, "ragged": False,
              "name": name, "optional": False}
    return KerasLayer("InputLayer", name, config)


def keras_model(graph, weights) -> tuple[dict, list[KerasLayer]]:
    """The Keras 3 functional config of a checked graph, and its Keras layers in order (with their variables)."""
    problems = [p for name in graph.layer_names() for p in unsupported(graph[name].layer, name)]
    if problems:
        raise SpecError(problems)
    produced, records, layers, chains = {}, {}, [], {}
    for name in graph.topological_order():
        info = graph[name]
        if info.layer is None:
            layer = _input_record(graph, name)
            produced[name], records[layer.name], chains[name] = (name, 0), _record(layer, None), [layer]
            layers.append(layer)
            continue
        owner = weight_owner(graph, name)
        tensors = [_tensor(graph, s, produced) for s in info.sources]
        args, references = _call(info, tensors)
        if owner == name:
            chains[name] = keras_layers(info.layer, keras_name(name), weights.get(name, {}))
            layers += chains[name]
        for layer in chains[owner]:  # a shared layer's later call is another inbound node of the same Keras layer
            record = records.setdefault(layer.name, _record(layer, None))
            record["inbound_nodes"].append({"args": args, "kwargs": {**layer.kwargs, **references}})
            produced[name] = (layer.name, len(record["inbound_nodes"]) - 1)
            references = {}
            args = [{"class_name": "__keras_tensor__", "config": {**tensors[0]["config"],
                                                                 "keras_history": [*produced[name], 0]}}]
    config = {"name": graph.name, "trainable": True, "layers": list(records.values()),
              "input_layers": [[*produced[n], 0] for n in graph.inputs],
              "output_layers": [_history(graph, ref, produced) for ref in graph.outputs]}
    order = {name: i for i, name in enumerate(keras_order(config))}  # Keras numbers variables in its own order
    config["layers"].sort(key=lambda record: order.get(record["name"], len(order)))
    layers.sort(key=lambda layer: order.get(layer.name, len(order)))
    return {"module": "keras.src.models.functional", "class_name": "Functional", "config": config,
            "registered_name": "Functional"}, layers


def _record(layer: KerasLayer, node: dict | None) -> dict:
    config = layer.config if layer.class_name == "InputLayer" else \
        {"name": layer.name, **layer.config, "dtype": "float32"}
    module = layer.module
    registered = f"keras_hub>{layer.class_name}" if module.startswith("keras_hub") else None
    return {"module": module, "class_name": layer.class_name, "config": config, "registered_name": registered,
            "name": layer.name, "inbound_nodes": [node] if node else []}


def weights_h5(layers: list[KerasLayer], model_name: str) -> bytes:
    """model.weights.h5 as Keras 3 lays it out: layers/<snake_case class>[_<n>]/vars/<i> (cell/vars for RNNs)."""
    h5py = need_h5py("a .keras archive")
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_group("vars").attrs["name"] = model_name
        counts: dict[str, int] = {}
        for layer in layers:
            base = snake_case(layer.class_name)
            counts[base] = counts.get(base, -1) + 1
            group = f.create_group(f"layers/{base}_{counts[base]}" if counts[base] else f"layers/{base}")
            own = group.create_group("vars")
            own.attrs["name"] = layer.name
            for where, arrays in (layer.groups or {layer.weights_path: layer.arrays}).items():
                target = own if where == "vars" else group.create_group(where)
                target.attrs["name"] = f"{base}_cell" if target is not own else layer.name
                for i, array in enumerate(arrays):
                    target.create_dataset(str(i), data=np.asarray(array))
    return buffer.getvalue()


def legacy_h5(config: dict, layers: list[KerasLayer], path: Path) -> None:
    """Keras 2's HDF5 model file (Keras 3 loads it with keras.saving.load_model): model_config and model_weights."""
    h5py = need_h5py("a .h5 model file")
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config)
        f.attrs["keras_version"], f.attrs["backend"] = KERAS_VERSION, "jax"
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = [layer.name.encode() for layer in layers]
        for layer in layers:
            own = group.create_group(layer.name)
            names = [f"{layer.name}/{i}" for i in range(len(layer.arrays))]
            own.attrs["weight_names"] = [n.encode() for n in names]
            for name, array in zip(names, layer.arrays):
                own.create_dataset(name, data=np.asarray(array))


def write_keras(graph, weights: dict, path: str | Path) -> None:
    """Writes a checked graph with its weights as .keras (Keras 3 archive), .h5 (legacy) or .json (the config)."""
    path = Path(path)
    if path.suffix not in SUFFIXES:
        raise ValueError(f"{path}: a Keras model file ends in {', '.join(SUFFIXES)}")
    if not path.parent.is_dir():
        raise ValueError(f"cannot write {path}: the folder {path.parent} does not exist")
    config, layers = keras_model(graph, weights)
    if path.suffix == ".json":
        atomic.write_text(path, json.dumps(config, indent=1))
    elif path.suffix == ".h5":
        with atomic.replacing(path) as temporary:
            legacy_h5(config, layers, temporary)
    else:
        metadata = {"keras_version": KERAS_VERSION, "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
        members = {"metadata.json": json.dumps(metadata), "config.json": json.dumps(config),
                   "model.weights.h5": weights_h5(layers, graph.name)}
        with atomic.replacing(path) as temporary:
            _zip(temporary, members)


def _zip(path: Path, members: dict) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
