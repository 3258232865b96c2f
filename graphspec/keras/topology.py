"""A Keras model config of any era -> one flat list of layer calls, wired by name.

Keras 1 writes a Sequential as a bare list and a functional model's inbound tensors as [layer, node, tensor];
Keras 2 adds a kwargs mapping to each; Keras 3 writes {"args": [...], "kwargs": {...}} with `__keras_tensor__`
records. Nested models (a Sequential or Functional used as a layer) are flattened, their layers named
<model>.<layer>, and each call of one is recorded (`Topology.nested`), so that nested_blocks.py can fold them back
into block uses; a later call of a nested model is one Call that shares the first call's weights.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Code
from .problems import Problems

MODEL_CLASSES = {"Sequential", "Functional", "Model"}


@dataclass(frozen=True)
class TensorRef:
    """A tensor passed as a call's keyword argument (Keras 3's mask=...), by the flat name of its producer."""

    source: str | None


@dataclass
class Call:
    """One call of a Keras layer: its class and config, the flat names of its inputs, and what else it was given."""

    name: str  # the flat name: <model>.<layer> inside a nested model
    class_name: str
    config: dict
    module: str | None = None
    registered_name: str | None = None
    sources: list[str] = field(default_factory=list)
    constants: list = field(default_factory=list)  # non-tensor arguments of an operation node (x * 2)
    kwargs: dict = field(default_factory=dict)
    leading_constant: bool = False  # 2 - x rather than x - 2
    path: tuple[str, ...] = ()  # Keras names: the nested models, then the layer
    shares: str | None = None  # a later call of a layer: the flat name of its first call, whose weights it uses


@dataclass
class NestedModel:
    """One nested model's first call: its Keras name, its inputs' names, and the flat names of what it reads and
    gives."""

    name: str
    input_names: list[str]
    sources: list[str]
    outputs: list[str] = field(default_factory=list)


@dataclass
class Topology:
    name: str
    inputs: dict[str, dict] = field(default_factory=dict)  # name -> {"shape": [...], "dtype": ...}
    calls: list[Call] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    models: dict[tuple, list] = field(default_factory=dict)  # nested model path -> its layer records, for weights
    sequential: set[tuple] = field(default_factory=set)  # the paths of the models that are Sequential
    nested: dict[tuple, NestedModel] = field(default_factory=dict)  # path -> the nested model called there


def model_layers(config: Any) -> list[dict]:
    """The layer records of a model config: Keras 1's Sequential is the list itself."""
    inner = config.get("config", config) if isinstance(config, dict) else config
    layers = inner if isinstance(inner, list) else inner.get("layers", [])
    return [layer for layer in layers if isinstance(layer, dict)]


def model_name(config: dict, default: str = "model") -> str:
    inner = config.get("config", {})
    name = inner.get("name") if isinstance(inner, dict) else None
    return name or config.get("name") or default


def layer_name(layer: dict) -> str:
    return str(layer.get("name") or layer.get("config", {}).get("name") or layer.get("class_name", "layer"))


def input_shape_of(config: dict) -> tuple[list | None, str | None]:
    """(shape without the batch, dtype) declared on a layer, in whichever era's words; (None, None) if none."""
    dtype = config.get("input_dtype") or _plain_dtype(config.get("dtype"))
    for key in ("batch_shape", "batch_input_shape"):
        if isinstance(config.get(key), list):
            return list(config[key][1:]), dtype
    if isinstance(config.get("input_shape"), list):
        return list(config["input_shape"]), dtype
    return None, dtype


def _plain_dtype(dtype: Any) -> str | None:
    if isinstance(dtype, dict):  # a Keras 3 DTypePolicy
        dtype = dtype.get("config", {}).get("name")
    return dtype if isinstance(dtype, str) else None


class Flattener:
    """Walks a model config, nested models included, into a Topology."""

    def __init__(self, problems: Problems):
        self.problems = problems
        self.topology: Topology | None = None

    def run(self, config: dict) -> Topology:
        self.topology = Topology(model_name(config))
        outputs = self.model(config, (), {})
        self.topology.outputs = outputs
        return self.topology

    def model(self, config: dict, path: tuple, given: dict[str, str]) -> list[str]:
        """Flattens one model; `given` maps its input layers' names to flat names (empty at the top). Returns the
        flat names of its outputs."""
        layers = model_layers(config)
        self.topology.models[path] = layers
        if config.get("class_name") == "Sequential" or isinstance(config.get("config"), list):
            self.topology.sequential.add(path)
            return self.sequential(layers, path, given)
        return self.functional(config.get("config", {}), layers, path, given)

    def flat(self, path: tuple, name: str) -> str:
        return ".".join((*path, name))

    # --- Sequential ----------------------------------------------------------------------------------------
    def sequential(self, layers: list[dict], path: tuple, given: dict) -> list[str]:
        previous = next(iter(given.values()), None)
        for layer in layers:
            if layer.get("class_name") == "InputLayer":
                previous = given.get(layer_name(layer)) or previous or self.declare_input(layer, path)
                continue
            if previous is None:
                previous = self.first_layer_input(layer, path)
            previous = self.call(layer, path, [previous], {}, 0)[0]
        return [previous] if previous else []

    def first_layer_input(self, layer: dict, path: tuple) -> str | None:
        """A Sequential's input, declared on its first layer (batch_input_shape, input_shape, input_dim)."""
        config = layer.get("config", {})
        shape, dtype = input_shape_of(config)
        if shape is None and layer.get("class_name") != "Embedding" and config.get("input_dim"):
            length = config.get("input_length")
            shape = [length, config["input_dim"]] if "input_length" in config else [config["input_dim"]]
        if shape is None and layer.get("class_name") == "Embedding" and config.get("input_length"):
            shape = [config["input_length"]]
        if shape is None:
            self.problems.error(Code.IMPORT_WIRING, layer_name(layer), "the Sequential model declares no input "
                                "shape (no InputLayer, batch_input_shape or input_shape on its first layer)",
                                "add `inputs:` to the spec by hand, e.g. inputs: {x: {shape: [784]}}")
            return None
        return self.add_input(self.flat(path, f"{layer_name(layer)}_input"), shape, dtype or "float32")

    # --- Functional ----------------------------------------------------------------------------------------
    def functional(self, config: dict, layers: list[dict], path: tuple, given: dict) -> list[str]:
        self.tensors: dict[tuple, str] = getattr(self, "tensors", {})
        for name, flat_name in given.items():
            self.tensors[(path, name, 0, 0)] = flat_name
        for layer in layers:
            name = layer_name(layer)
            if layer.get("class_name") == "InputLayer":
                if (path, name, 0, 0) not in self.tensors:
                    self.tensors[(path, name, 0, 0)] = self.declare_input(layer, path)
                continue
            nodes = layer.get("inbound_nodes") or []
            for index, node in enumerate(nodes):
                sources, constants, kwargs = self.node_inputs(node, path, name)
                outputs = self.call(layer, path, sources, kwargs, index, constants)
                for tensor, flat_name in enumerate(outputs):
                    self.tensors[(path, name, index, tensor)] = flat_name
        refs = config.get("output_layers") or []
        refs = [refs] if refs and isinstance(refs[0], str) else refs
        return [self.resolve(path, ref, "the model's outputs") for ref in refs]

    def node_inputs(self, node: Any, path: tuple, name: str) -> tuple[list[str], list, dict]:
        """(flat names of the tensors a call reads, its constant arguments, its keyword arguments)."""
        if isinstance(node, dict):  # Keras 3
            refs, constants = [], []
            for arg in node.get("args", []):
                items = arg if isinstance(arg, list) else [arg]
                for item in items:
                    (refs if _is_tensor(item) else constants).append(_history(item) if _is_tensor(item) else item)
            kwargs = {k: self.tensor_argument(v, path, name) for k, v in node.get("kwargs", {}).items() if v is not None}
            self.leading_constant = bool(node.get("args")) and not _is_tensor(node["args"][0]) and \
                not isinstance(node["args"][0], list)
            return [self.resolve(path, ref, name) for ref in refs], constants, kwargs
        kwargs, self.leading_constant = {}, False
        for ref in node:  # Keras 1 and 2: [layer, node, tensor(, kwargs)]
            if len(ref) > 3 and isinstance(ref[3], dict):
                kwargs |= {k: v for k, v in ref[3].items() if v is not None}
        return [self.resolve(path, ref[:3], name) for ref in node], [], kwargs

    def tensor_argument(self, value: Any, path: tuple, reader: str) -> Any:
        """A keyword argument: a tensor (mask=) or a list of them (initial_state=) as TensorRefs, else as given."""
        if _is_tensor(value):
            return TensorRef(self.resolve(path, _history(value), reader))
        if isinstance(value, list) and value and all(_is_tensor(v) for v in value):
            return [TensorRef(self.resolve(path, _history(v), reader)) for v in value]
        return value

    def resolve(self, path: tuple, ref: list, reader: str) -> str | None:
        key = (path, ref[0], *(list(ref[1:3]) + [0, 0])[:2])
        first = (*key[:3], 0)
        if key not in self.tensors and first in self.tensors:  # a later output of a layer with several: name:index
            return f"{self.tensors[first]}:{key[3]}"
        if key not in self.tensors:
            self.problems.error(Code.IMPORT_WIRING, reader, f"reads tensor {list(ref[:3])}, which no layer before "
                                "it produces", "a layer may only read the layers listed before it in the config")
            return None
        return self.tensors[key]

    # --- both --------------------------------------------------------------------------------------------
    def declare_input(self, layer: dict, path: tuple) -> str:
        shape, dtype = input_shape_of(layer.get("config", {}))
        if shape is None:
            self.problems.error(Code.IMPORT_WIRING, layer_name(layer), "the InputLayer has no batch_shape")
            shape = [None]
        return self.add_input(self.flat(path, layer_name(layer)), shape, dtype or "float32")

    def add_input(self, name: str, shape: list, dtype: str) -> str:
        self.topology.inputs[name] = {"shape": shape, "dtype": dtype}
        return name

    def call(self, layer: dict, path: tuple, sources: list, kwargs: dict, index: int, constants=()) -> list[str]:
        """Adds one call; a nested model is flattened in place. Returns the flat names of its outputs."""
        name = layer_name(layer)
        flat_name = self.flat(path, name) + (f"_call{index}" if index else "")
        if layer.get("class_name") in MODEL_CLASSES and not index:
            return self.nested(layer, path, name, sources)
        self.topology.calls.append(Call(flat_name, str(layer.get("class_name")), dict(layer.get("config") or {}),
                                        layer.get("module"), layer.get("registered_name"),
                                        [s for s in sources if s is not None], list(constants), kwargs,
                                        getattr(self, "leading_constant", False), (*path, name),
                                        self.flat(path, name) if index else None))
        count = len(self.topology.nested[(*path, name)].outputs) if (*path, name) in self.topology.nested else 1
        return [flat_name] + [f"{flat_name}:{i}" for i in range(1, count)]

    def nested(self, layer: dict, path: tuple, name: str, sources: list) -> list[str]:
        inner_path = (*path, name)
        inner = layer if "config" in layer else {"config": layer}
        names = _input_names(inner)
        record = NestedModel(model_name(inner, name), names or _sequential_input(inner), list(sources))
        self.topology.nested[inner_path] = record
        if layer.get("class_name") == "Sequential":
            record.outputs = self.model(inner, inner_path, {"": sources[0]} if sources else {})
            return record.outputs
        if len(names) != len(sources):
            self.problems.error(Code.IMPORT_WIRING, name, f"the nested model takes {len(names)} inputs and is "
                                f"given {len(sources)}")
        record.outputs = self.model(inner, inner_path, dict(zip(names, sources)))
        return record.outputs


def _sequential_input(model: dict) -> list[str]:
    first = next(iter(model_layers(model)), {})
    return [layer_name(first) if first.get("class_name") == "InputLayer" else "input"]


def _input_names(model: dict) -> list[str]:
    refs = model.get("config", {}).get("input_layers") or []
    refs = [refs] if refs and isinstance(refs[0], str) else refs
    return [ref[0] for ref in refs]


def _is_tensor(item: Any) -> bool:
    return isinstance(item, dict) and item.get("class_name") == "__keras_tensor__"


def _history(item: dict) -> list:
    return list(item.get("config", {}).get("keras_history") or ["?", 0, 0])


def flatten(config: dict, problems: Problems) -> Topology:
    return Flattener(problems).run(config)
