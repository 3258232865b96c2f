"""A compiled model: the plan (kernels in topological order, weights bound) and the calls that run it."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from graphspec.checked import CheckedGraph

from .inputs import prepare_inputs
from .kernels import KERNELS
from .plan import Plan
from .progress import batches
from .weights import Weights, checked_weights, read_weights, save_weights


def _owned(outputs: dict, inputs: dict) -> dict:
    """An output that is a view of an input or of another output (Flatten, Reshape, Dropout) is copied:
    editing one array never changes another."""
    owned: dict = {}
    for name, out in outputs.items():
        shared = any(np.may_share_memory(out, a) for a in [*inputs.values(), *owned.values()])
        owned[name] = out.copy() if shared else out
    return owned


class Model:
    """Call it on an array (one input) or a dict by input name; it returns an array (one output) or a dict."""

    def __init__(self, graph: CheckedGraph, weights: Weights, source: str = "the weights"):
        self.graph = graph
        self._weights = checked_weights(graph, weights, source)
        self._plan = Plan(graph, self._kernels())

    def _kernels(self) -> dict:
        """Each layer's kernel, its buffers allowed the model's largest activation (unknown with variable sizes)."""
        tensors = [tensor for info in self.graph.nodes.values() for tensor in info.outputs.values()]
        sizes = [None if t.size is None else t.size * np.dtype(t.dtype).itemsize for t in tensors]
        largest = None if None in sizes else max(sizes)
        return {name: KERNELS[self.graph[name].layer.kind](name, self.graph[name].layer, self._weights.get(name, {}),
                                                           largest) for name in self.graph.layer_names()}

    @property
    def input_names(self) -> list[str]:
        return list(self.graph.inputs)

    @property
    def output_names(self) -> list[str]:
        return list(self.graph.outputs)

    def __call__(self, inputs):
        arrays = prepare_inputs(inputs, self.graph.input_types)
        outputs = _owned(self._plan.run(arrays), arrays)
        return outputs[self.output_names[0]] if len(outputs) == 1 else outputs

    def predict(self, inputs, batch_size: int = 256, progress: bool = True):
        """Runs in batches of `batch_size`; a progress bar appears on runs longer than a second (progress=False: never)."""
        arrays = prepare_inputs(inputs, self.graph.input_types)
        count = next(iter(arrays.values())).shape[0]
        parts = [self._plan.run({n: a[start:stop] for n, a in arrays.items()})
                 for start, stop in batches(count, batch_size, progress)]
        if not parts:  # no samples: the plan still gives each output its shape, (0, ...)
            parts = [self._plan.run(arrays)]
        joined = {name: np.concatenate([p[name] for p in parts]) for name in self.output_names}
        return joined[self.output_names[0]] if len(joined) == 1 else joined

    def get_weights(self) -> Weights:
        """Copies, by layer name and Keras weight name: get_weights()["conv1"]["kernel"] is (3, 3, 1, 64)."""
        return {layer: {w: a.copy() for w, a in arrays.items()} for layer, arrays in self._weights.items()}

    def set_weights(self, weights: Weights) -> None:
        self._weights = checked_weights(self.graph, weights)
        self._plan = Plan(self.graph, self._kernels())

    def save_weights(self, path: str | Path) -> None:
        save_weights(self._weights, path)

    def load_weights(self, path: str | Path) -> None:
        self._weights = checked_weights(self.graph, read_weights(path), f"weights in {path}")
        self._plan = Plan(self.graph, self._kernels())
