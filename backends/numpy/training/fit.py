"""Keras's fit: epochs of batches (shuffled each epoch from the trainer's seeded generator when shuffle is true),
validation after each epoch, a History of per-epoch means, callbacks (EarlyStopping), and a progress bar per epoch.

Interrupted (Ctrl-C), fit returns with the weights of the last completed epoch and `history.interrupted` set.
Weights are replaced, never edited, by each step, so a snapshot of an epoch's end is a copy of the dicts only.
"""
from __future__ import annotations

from functools import partial

import numpy as np
from tqdm import tqdm

from graphspec.diagnostics import RunError

from .data import Data, checked_data
from .tally import Tally


class History:
    def __init__(self):
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.interrupted = False

    def add(self, epoch: int, logs: dict) -> None:
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)


def snapshot(weights):
    return {layer: dict(arrays) for layer, arrays in weights.items()}


def restore(weights, saved) -> None:
    """Back to a snapshot, in place: the kernels hold the per-layer dicts."""
    for layer, arrays in saved.items():
        weights[layer].update(arrays)


def split_validation(data: Data, fraction) -> tuple[Data, Data]:
    """Keras's validation_split: the last `fraction` of the samples (and their weights), taken before any
    shuffling."""
    if not 0 < fraction < 1:
        raise RunError(f"validation_split must be between 0 and 1, got {fraction}")
    cut = data.count - int(data.count * fraction)
    if cut in (0, data.count):
        raise RunError(f"validation_split {fraction} of {data.count} samples leaves no training or no validation "
                       "data")
    return data.part(slice(None, cut)), data.part(slice(cut, None))


def checked_validation(trainer, validation_data) -> Data:
    """Keras's validation_data: (x, y) or (x, y, sample_weight)."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        given = f"{len(validation_data)} arrays" if isinstance(validation_data, (tuple, list)) else \
            f"a {type(validation_data).__name__}"
        raise RunError(f"validation_data is a tuple (x_val, y_val) or (x_val, y_val, val_sample_weight); got {given}")
    x, y, *weights = validation_data
    return checked_data(trainer.model.graph, x, y, trainer.loss, "validation data", *weights)


def fit(trainer, x, y, epochs=1, batch_size=32, shuffle=True, validation_data=None, validation_split=0.0,
        callbacks=(), initial_epoch=0, progress=True, on_epoch_end=None, sample_weight=None,
        class_weight=None) -> History:
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise RunError(f"batch_size must be a whole number of at least 1, got {batch_size!r}")
    data = checked_data(trainer.model.graph, x, y, trainer.loss, "training data", sample_weight, class_weight)
    validation = None
    if validation_split:
        data, validation = split_validation(data, validation_split)
    elif validation_data is not None:
        validation = checked_validation(trainer, validation_data)
    history, model = History(), trainer.model
    good = snapshot(model._weights)
    for callback in callbacks:
        callback.set_trainer(trainer)
    try:
        for epoch in range(initial_epoch, epochs):
            trainer.epoch = epoch
            validate = None if validation is None else partial(trainer._evaluate, validation, batch_size)
            logs = _epoch(trainer, data, batch_size, shuffle, progress, f"epoch {epoch + 1}/{epochs}", validate)
            history.add(epoch, logs)
            good = snapshot(model._weights)
            if on_epoch_end is not None:
                on_epoch_end(epoch, logs)
            if any(callback.on_epoch_end(epoch, logs) for callback in callbacks):
                break
    except KeyboardInterrupt:
        restore(model._weights, good)  # mid-epoch weights are dropped: the last completed epoch stands
        history.interrupted = True
    return history


def _epoch(trainer, data: Data, batch_size, shuffle, progress, label, validate=None) -> dict:
    """The epoch's logs; validate() (after the last step, the bar still open) adds val_loss and the val_ metrics,
    shown on the bar as Keras prints them at the epoch's end."""
    order = trainer.rng.permutation(data.count) if shuffle else None
    totals = Tally()
    with tqdm(total=data.count, unit="sample", desc=label, disable=not progress, leave=True) as bar:
        for trainer.step_in_epoch, start in enumerate(range(0, data.count, batch_size)):
            span = slice(start, start + batch_size)
            batch = data.part(span if order is None else order[span])
            totals.merge(trainer._step(batch))
            bar.update(batch.count)
            bar.set_postfix(_shown(totals.means()), refresh=False)
        logs = totals.means()
        if validate is not None:
            logs.update({f"val_{k}": v for k, v in validate().items()})
            bar.set_postfix(_shown(logs))
    return logs


def _shown(logs: dict) -> dict:
    return {k: f"{v:.4f}" for k, v in logs.items()}
