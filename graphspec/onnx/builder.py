"""The small graph-builder that ONNX mappings write through: nodes named after their layer, initializers, constants."""
from __future__ import annotations

import hashlib

import numpy as np
import onnx
from onnx import helper, numpy_helper

from ..types import FLOAT_DTYPES, TensorType


def tensor_dtype(dtype: str) -> int:
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


def _dims(tensor: TensorType) -> list:
    return ["batch" if i == 0 else n if n is None or isinstance(n, int) else str(n) for i, n in enumerate(tensor.shape)]


class Builder:
    """Collects the graph's nodes and initializers; `begin` points it at the layer being exported."""

    def __init__(self):
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._taken: set[str] = set()
        self.layer = ""
        self.output: TensorType | None = None
        self.input_types: list[TensorType] = []
        self.input_masks: list[str | None] = []
        self.node, self.owner = "", ""  # the layer begun, and the layer whose weights it runs with (shared layers)
        self._weights: dict[tuple, str] = {}

    def begin(self, layer: str, output: TensorType, input_types: list[TensorType], input_masks: list,
              owner: str | None = None) -> None:
        self.layer, self.output, self.input_types, self.input_masks = layer, output, input_types, input_masks
        self.node, self.owner = layer, owner or layer
        self._taken.add(layer)

    @property
    def dtype(self) -> str:
        """The float dtype the layer computes in: its output's, or float32 for a layer that outputs integers."""
        return self.output.dtype if self.output.dtype in FLOAT_DTYPES else "float32"

    def fresh(self, hint: str) -> str:
        """A value name not yet used, prefixed with the layer's name so that a node's origin stays readable."""
        base = f"{self.layer}/{hint}"
        name, k = base, 1
        while name in self._taken:
            name, k = f"{base}_{k}", k + 1
        self._taken.add(name)
        return name

    def reserve(self, name: str) -> None:
        self._taken.add(name)

    def op(self, op_type: str, *inputs: str, outputs: int = 1, **attrs):
        """Adds one node; its output name, or a list of `outputs` names. An input of "" is an omitted optional one."""
        names = [self.fresh(op_type if outputs == 1 else f"{op_type}_out{i}") for i in range(outputs)]
        node_name = self.fresh(op_type)
        self.nodes.append(helper.make_node(op_type, list(inputs), names, name=node_name, **attrs))
        return names[0] if outputs == 1 else names

    def const(self, value, dtype: str | None = None, hint: str = "const") -> str:
        """An initializer holding `value` (as `dtype`, by default the layer's float dtype)."""
        array = np.asarray(value, dtype=dtype or self.dtype)
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def ints(self, values) -> str:
        """An int64 constant: the shapes, axes and indices ONNX operators take as inputs."""
        return self.const(np.asarray(values, np.int64), "int64", "ints")

    def weight(self, array: np.ndarray, key: str) -> str:
        """A weight as an initializer named layer/key, in the dtype the layer computes in. A layer that shares
        another's weights reuses the owner's initializer for the same weight (same place in the layer, same
        values), so a shared encoder is stored once."""
        array = np.ascontiguousarray(array, dtype=self.dtype)
        place = (self.owner, self.layer[len(self.node):], key, array.dtype.str, array.shape,
                 hashlib.sha1(array.tobytes()).hexdigest())
        if place not in self._weights:
            self._weights[place] = self.const(array, self.dtype, key)
        return self._weights[place]

    def reduce(self, op_type: str, value: str, axes, keepdims: bool = True) -> str:
        """ReduceSum takes its axes as an input from opset 13, the other reductions only from opset 18: as an
        attribute in the opset pinned here."""
        if op_type == "ReduceSum":
            return self.op(op_type, value, self.ints(list(axes)), keepdims=int(keepdims))
        return self.op(op_type, value, axes=list(axes), keepdims=int(keepdims))

    def subgraph(self, name: str, inputs: list[tuple[str, TensorType]], build) -> onnx.GraphProto:
        """A body graph (Scan's, Loop's): `build(*input names)` adds its nodes through this builder and returns its
        output names, each of type `inputs`' first entry's unless build returns (name, TensorType) pairs. The body
        reads the outer graph's initializers by name."""
        saved, self.nodes = self.nodes, []
        names = [self.fresh(hint) for hint, _ in inputs]
        results = build(*names)
        body, self.nodes = self.nodes, saved
        outputs = []
        for value, tensor in results:
            if value in names or not any(value in node.output for node in body):  # a body output is a node's own
                alias = self.fresh("out")
                body.append(helper.make_node("Identity", [value], [alias], name=alias))
                value = alias
            outputs.append(helper.make_tensor_value_info(value, tensor_dtype(tensor.dtype), _dims(tensor)))
        given = [helper.make_tensor_value_info(n, tensor_dtype(t.dtype), _dims(t)) for n, (_, t) in zip(names, inputs)]
        return helper.make_graph(body, self.fresh(name), given, outputs)

    def tensor_attr(self, value, dtype: str | None = None) -> onnx.TensorProto:
        """A one-element tensor for ConstantOfShape's `value`."""
        return numpy_helper.from_array(np.asarray([value], dtype=dtype or self.dtype))

    def cast(self, value: str, dtype: str) -> str:
        return self.op("Cast", value, to=tensor_dtype(dtype))

    def channels_first(self, value: str, rank: int) -> str:
        """(batch, *spatial, channels) -> (batch, channels, *spatial), the layout ONNX's Conv and pooling take."""
        return self.op("Transpose", value, perm=[0, rank - 1, *range(1, rank - 1)])

    def channels_last(self, value: str, rank: int) -> str:
        return self.op("Transpose", value, perm=[0, *range(2, rank), 1])
