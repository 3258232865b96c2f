"""The training plan: every layer's train_forward in topological order, the backward closures in reverse.

The gradient of a value read by several layers is the sum of what each reader sends back. A layer whose weights
are frozen (`trainable: false`, or non-trainable weights such as moving statistics) computes no weight gradient,
and a layer with nothing trainable upstream of it returns no input gradient, so a frozen Embedding at the bottom
of a model costs no backward at all. No fusion or blocking (plan.py's inference tricks): every step keeps what its
backward needs.

A layer of several outputs (an LSTM's return_state, Attention's scores, Bidirectional's two directions) gives a
tuple, each element stored under its reference (`encoder:state_h`, ports.py); its backward gets a tuple of their
gradients, zeros for an output nothing downstream read.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graphspec.checked import CheckedGraph
from graphspec.diagnostics import RunError

from ..kernels.base import Training


class NonFinite(RunError):
    """A layer's output or gradient held NaN or inf; `layer` names the first one."""

    def __init__(self, layer: str, what: str):
        super().__init__(f"layer '{layer}' produced a non-finite {what}")
        self.layer, self.what = layer, what


def trainable_weights(info) -> list[str]:
    """The weights an optimiser updates: those of a trainable layer, less its non-trainable ones."""
    layer = info.layer
    if layer is None or not layer.trainable:
        return []
    return [w for w in info.weights if w not in layer.non_trainable_weights]


@dataclass
class Step:
    name: str
    backward: object
    training: Training
    outputs: list[tuple[tuple, np.dtype]]  # each output's shape and dtype: the zeros of an unread one


@dataclass
class Tape:
    """What one forward leaves for the backward: per step, its closure and its Training."""
    steps: list[Step]
    outputs: dict[str, np.ndarray]
    masks: dict[str, np.ndarray | None]


class TrainingPlan:
    def __init__(self, graph: CheckedGraph, kernels: dict):
        nodes = {graph.node_of(ref) for ref in graph.outputs}
        needed = nodes.union(*(nx.ancestors(graph.graph, node) for node in nodes))
        self.order = [n for n in graph.topological_order() if n in needed and n in kernels]
        self.kernels, self.outputs = kernels, list(graph.outputs)
        self.sources = {n: list(graph[n].sources) for n in self.order}
        self.refs = {n: graph[n].refs(n) for n in self.order}
        self.trainable = {n: trainable_weights(graph[n]) for n in self.order}
        flows: dict[str, bool] = {}
        for n in self.order:
            flows[n] = bool(self.trainable[n]) or any(flows.get(graph.node_of(s), False) for s in self.sources[n])
        self.flows = flows
        self.input_grads = {n: tuple(_needs_gradient(graph, flows, s) for s in self.sources[n]) for n in self.order}
        self.last_reader = {s: n for n in self.order for s in self.sources[n]}
        self.profile: dict[str, list[float]] | None = None  # set to {} to collect [forward, backward] seconds

    def _timed(self, name: str, phase: int, start: float) -> None:
        if self.profile is not None:
            self.profile.setdefault(name, [0.0, 0.0])[phase] += time.perf_counter() - start

    def forward(self, arrays: dict[str, np.ndarray], rng: np.random.Generator, check: bool = False) -> Tape:
        values, masks, steps = dict(arrays), {}, []
        for n in self.order:
            kernel, sources = self.kernels[n], self.sources[n]
            training = Training(rng, bool(self.trainable[n]), self.input_grads[n])
            inputs, input_masks = [values[s] for s in sources], [masks.get(s) for s in sources]
            start = time.perf_counter()
            produced, backward = kernel.train_forward(inputs, input_masks, training)
            self._timed(n, 0, start)
            refs = self.refs[n]
            outputs = produced if len(refs) > 1 else (produced,)
            if check and not all(_finite(output) for output in outputs):
                raise NonFinite(n, "output")
            values.update(zip(refs, outputs))
            mask = kernel.output_mask(inputs, input_masks)  # a tuple: one per output (Bidirectional's both)
            masks.update(zip(refs, mask) if isinstance(mask, tuple) else [(n, mask)])
            steps.append(Step(n, backward, training, [(output.shape, output.dtype) for output in outputs]))
            for s in set(sources):
                if self.last_reader.get(s) == n and s not in self.outputs:
                    del values[s]
        return Tape(steps, {o: values[o] for o in self.outputs}, {o: masks.get(o) for o in self.outputs})

    def backward(self, tape: Tape, output_grads: dict[str, np.ndarray], check: bool = False):
        """Weight gradients by layer and weight, and the forward's own updates (moving statistics) by layer."""
        grads, weight_grads, updates = dict(output_grads), {}, {}
        for step in reversed(tape.steps):
            n, training = step.name, step.training
            if training.updates:
                updates[n] = training.updates
            d_outputs = [grads.pop(ref, None) for ref in self.refs[n]]
            if all(d is None for d in d_outputs) or not self.flows[n]:
                continue
            start = time.perf_counter()
            result = step.backward(d_outputs[0] if len(d_outputs) == 1 else tuple(
                np.zeros(shape, dtype) if d is None else d for d, (shape, dtype) in zip(d_outputs, step.outputs)))
            self._timed(n, 1, start)
            if self.trainable[n]:
                weight_grads[n] = {w: result.weights[w] for w in self.trainable[n]}
            for source, need, d_input in zip(self.sources[n], training.input_grads, result.inputs):
                if need and d_input is not None:
                    if check and not _finite(d_input):
                        raise NonFinite(n, f"gradient for its input '{source}'")
                    grads[source] = d_input if source not in grads else grads[source] + d_input
            if check and any(not _finite(g) for g in weight_grads.get(n, {}).values()):
                raise NonFinite(n, "weight gradient")
        return weight_grads, updates


def _needs_gradient(graph, flows, ref) -> bool:
    """Whether a source's gradient is wanted: something upstream trains, and the value is not integer ids."""
    return flows.get(graph.node_of(ref), False) and np.dtype(graph.tensor(ref).dtype).kind == "f"


def _finite(array) -> bool:
    return array.dtype.kind != "f" or bool(np.isfinite(array).all())
