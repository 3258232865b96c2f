"""A model run by ONNX Runtime, with the NumPy backend's calls, input checks, errors and weight handling.

The weights live in a NumPy backend model, which checks, saves and loads them exactly as that backend does; each
change of weights exports the graph again. Bad input raises the NumPy backend's RunError before ONNX Runtime sees it:
the same checks (numpy/inputs.py), and where ONNX Runtime refuses an id outside an Embedding's table (the export sends
a negative id past the table's end, so that Gather refuses it rather than reading from the end) or fails on any other
input, the NumPy backend runs that batch to say what is wrong in its own words.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import graphspec
from graphspec.checked import CheckedGraph
from graphspec.diagnostics import RunError
from graphspec.dim_binding import check_sizes, size_constraints
from graphspec.dim_rules import has_names

from ..numpy import NumpyBackend
from ..numpy.inputs import plain_input, prepare_inputs
from ..numpy.progress import batches
from .session import make_session, session_runner


class OnnxRuntimeModel:
    """Call it on an array (one input) or a dict by input name; it returns an array (one output) or a dict."""

    def __init__(self, graph: CheckedGraph, seed: int, weights, options: dict):
        self.graph, self._options = graph, options
        self._reference = NumpyBackend().compile(graph, seed=seed, weights=weights)
        self._input_types, self._outputs = graph.input_types, list(graph.outputs)
        self._size_needs = size_constraints(graph)  # what named sizes (T) must meet, as the NumPy backend checks
        self._named = any(has_names(t.shape) for t in self._input_types.values())
        self._plain = plain_input(self._input_types)
        self._build()

    def _build(self) -> None:
        proto = graphspec.to_onnx(self.graph, self._reference.get_weights())
        self.onnx_model = proto
        self._session = make_session(proto.SerializeToString(), **self._options)
        self._run_session = session_runner(self._session)

    @property
    def input_names(self) -> list[str]:
        return list(self.graph.inputs)

    @property
    def output_names(self) -> list[str]:
        return list(self.graph.outputs)

    def _run(self, arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
        """The outputs in the graph's order."""
        if self._named:
            check_sizes(self.graph, {name: array.shape for name, array in arrays.items()}, self._size_needs)
        try:
            return self._run_session(self._outputs, arrays)
        except Exception as exc:  # ONNX Runtime's own error (an id outside a table, say): the NumPy backend's message
            self._reference(arrays)
            raise RunError(f"ONNX Runtime could not run the model: {exc}") from None

    def _single(self, values: list):
        return values[0] if len(values) == 1 else dict(zip(self._outputs, values))

    def __call__(self, inputs):
        # Python's work per call shows at batch 1 to 32 (~20-60 us in ONNX Runtime), and more so as ONNX Runtime's
        # run leaves Python's caches cold: the common call takes the fewest steps
        if self._plain is not None and type(inputs) is np.ndarray:
            name, dtype, rank, sizes = self._plain
            if inputs.dtype == dtype and inputs.shape[1:] == sizes and inputs.ndim == rank:
                return self._single(self._run({name: inputs}))
        return self._single(self._run(prepare_inputs(inputs, self._input_types)))

    def predict(self, inputs, batch_size: int = 256, progress: bool = True):
        """Runs in batches of `batch_size`; a progress bar appears on runs longer than a second (progress=False: never)."""
        arrays = prepare_inputs(inputs, self._input_types)
        count = next(iter(arrays.values())).shape[0]
        parts = [self._run({n: a[start:stop] for n, a in arrays.items()})
                 for start, stop in batches(count, batch_size, progress)]
        if not parts:  # no samples: each output with its shape, (0, ...), as the NumPy backend gives it
            return self._reference.predict(arrays, batch_size, progress=False)
        return self._single([np.concatenate(outputs) for outputs in zip(*parts)])

    def compile_training(self, *args, **kwargs):
        raise RunError("the onnxruntime backend runs inference only: train with the numpy backend "
                       "(graphspec.compile(graph), or graphspec train without --backend), then load the weights here")

    fit = evaluate = train_on_batch = compile_training

    def get_weights(self):
        return self._reference.get_weights()

    def set_weights(self, weights) -> None:
        self._reference.set_weights(weights)
        self._build()

    def save_weights(self, path: str | Path) -> None:
        self._reference.save_weights(path)

    def load_weights(self, path: str | Path) -> None:
        self._reference.load_weights(path)
        self._build()
