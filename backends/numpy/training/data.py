"""Training data checked before any step: finite inputs, labels that fit the output and the loss."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from graphspec.diagnostics import RunError
from graphspec.types import format_shape

from ..inputs import prepare_inputs
from .losses import SparseCategoricalCrossentropy
from .sample_weights import checked_sample_weight


class Data(NamedTuple):
    """Checked inputs by name, their labels, and the samples' weights (None: each weighs 1)."""
    arrays: dict
    labels: np.ndarray
    weights: np.ndarray | None = None

    @property
    def count(self) -> int:
        return self.labels.shape[0]

    def part(self, index) -> "Data":
        """The samples at index: a slice (views) or an array of positions."""
        return Data({n: a[index] for n, a in self.arrays.items()}, self.labels[index],
                    None if self.weights is None else self.weights[index])


def checked_data(graph, x, y, loss, what: str = "training data", sample_weight=None, class_weight=None) -> Data:
    """The data of a one-output model; every problem a one-line RunError."""
    try:
        arrays = prepare_inputs(x, graph.input_types)
    except RunError as exc:  # which of the arrays given is wrong: the training data, or the validation data
        raise RunError(f"{what}: {exc}") from None
    for name, array in arrays.items():
        _finite(f"{what}: input '{name}'", array)
    output = graph.tensor(graph.outputs[0])
    labels = _labels(y, output, loss, what)
    count = next(iter(arrays.values())).shape[0]
    if count == 0:
        raise RunError(f"{what}: x has no samples; give at least one")
    if labels.shape[0] != count:
        raise RunError(f"{what}: x has {count} samples but y has {labels.shape[0]}: give one label per sample")
    return Data(arrays, labels, checked_sample_weight(sample_weight, class_weight, labels, output.shape, what))


def check_steps(labels, prediction, what: str = "training data") -> None:
    """A variable-length output's steps are known once it has run: the labels must have as many."""
    steps = prediction.shape[1:-1]
    if labels.shape[1:1 + len(steps)] != steps:
        raise RunError(f"{what}: y has shape {labels.shape}, but the model's output for these inputs is "
                       f"{format_shape((None, *prediction.shape[1:]))}: give a label for each of its steps")


def _labels(y, output, loss, what):
    if isinstance(y, dict):
        if len(y) != 1:
            raise RunError(f"{what}: y has {len(y)} arrays ({', '.join(y)}); the model has one output")
        y = next(iter(y.values()))
    labels = np.asarray(y)
    if labels.dtype.kind not in "biuf":
        raise RunError(f"{what}: y has dtype {labels.dtype}; labels are numbers")
    shape = output.shape
    if isinstance(loss, SparseCategoricalCrossentropy):
        return _class_ids(labels, shape, what)
    _finite(f"{what}: y", labels)
    expected = shape if labels.ndim == len(shape) else shape[:-1] if labels.ndim == len(shape) - 1 and shape[-1] == 1 \
        else None
    if expected is None or not _fits(labels.shape, expected):
        raise RunError(f"{what}: y has shape {labels.shape}, but the model's output is {format_shape(shape)}: "
                       "give one label row per sample, shaped like the output"
                       + (" (class ids need sparse_categorical_crossentropy)" if labels.ndim == len(shape) - 1 else ""))
    return labels.astype(np.float32)


def _class_ids(labels, shape, what):
    classes = shape[-1]
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels % 1):
            raise RunError(f"{what}: sparse_categorical_crossentropy takes whole class ids; y holds fractions "
                           "(one-hot rows need categorical_crossentropy)")
    ids = labels[..., 0] if labels.ndim == len(shape) and labels.shape[-1] == 1 else labels
    if not _fits(ids.shape, shape[:-1]):
        raise RunError(f"{what}: y has shape {labels.shape}; class ids for the output {format_shape(shape)} are "
                       f"shaped {format_shape(shape[:-1])}" + (" (one-hot rows need categorical_crossentropy)"
                                                               if labels.shape[-1:] == (classes,) else ""))
    outside = (ids < 0) | (ids >= classes)
    if outside.any():
        position = tuple(int(i) for i in np.argwhere(outside)[0])
        raise RunError(f"{what}: class id {ids[position]:g} at position {position} is outside [0, {classes}) for "
                       f"the output's {classes} classes")
    return ids.astype(np.int64)


def _fits(given: tuple, expected: tuple) -> bool:
    """Same rank, and each size the output fixes (a variable length, None, takes any) the same."""
    return len(given) == len(expected) and all(w is None or w == g for w, g in zip(expected[1:], given[1:]))


def _finite(label, array):
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        position = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise RunError(f"{label} holds {array[position]} at position {position}: training needs finite numbers")
