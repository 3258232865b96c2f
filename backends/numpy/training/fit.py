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

from .data import checked_data
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


def split_validation(arrays, labels, fraction):
    """Keras's validation_split: the last `fraction` of the samples, taken before any shuffling."""
    if not 0 < fraction < 1:
        raise RunError(f"validation_split must be between 0 and 1, got {fraction}")
    count = labels.shape[0]
    cut = count - int(count * fraction)
    if cut in (0, count):
        raise RunError(f"validation_split {fraction} of {count} samples leaves no training or no validation data")
    return ({n: a[:cut] for n, a in arrays.items()}, labels[:cut]), ({n: a[cut:] for n, a in arrays.items()},
                                                                      labels[cut:])


def fit(trainer, x, y, epochs=1, batch_size=32, shuffle=True, validation_data=None, validation_split=0.0,
        callbacks=(), initial_epoch=0, progress=True, on_epoch_end=None) -> History:
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise RunError(f"batch_size must be a whole number of at least 1, got {batch_size!r}")
    arrays, labels = checked_data(trainer.model.graph, x, y, trainer.loss)
    validation = None
    if validation_split:
        (arrays, labels), validation = split_validation(arrays, labels, validation_split)
    elif validation_data is not None:
        validation = checked_data(trainer.model.graph, *validation_data, trainer.loss, "validation data")
    history, model = History(), trainer.model
    good = snapshot(model._weights)
    for callback in callbacks:
        callback.set_trainer(trainer)
    try:
        for epoch in range(initial_epoch, epochs):
            trainer.epoch = epoch
            validate = None if validation is None else partial(trainer._evaluate, *validation, batch_size)
            logs = _epoch(trainer, arrays, labels, batch_size, shuffle, progress, f"epoch {epoch + 1}/{epochs}",
                          validate)
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


def _epoch(trainer, arrays, labels, batch_size, shuffle, progress, label, validate=None) -> dict:
    """The epoch's logs; validate() (after the last step, the bar still open) adds val_loss and the val_ metrics,
    shown on the bar as Keras prints them at the epoch's end."""
    count = labels.shape[0]
    order = trainer.rng.permutation(count) if shuffle else np.arange(count)
    totals = Tally()
    with tqdm(total=count, unit="sample", desc=label, disable=not progress, leave=True) as bar:
        for trainer.step_in_epoch, start in enumerate(range(0, count, batch_size)):
            index = order[start:start + batch_size]
            if shuffle:
                batch, batch_labels = {n: a[index] for n, a in arrays.items()}, labels[index]
            else:
                batch = {n: a[start:start + batch_size] for n, a in arrays.items()}
                batch_labels = labels[start:start + batch_size]
            totals.merge(trainer._step(batch, batch_labels))
            bar.update(batch_labels.shape[0])
            bar.set_postfix(_shown(totals.means()), refresh=False)
        logs = totals.means()
        if validate is not None:
            logs.update({f"val_{k}": v for k, v in validate().items()})
            bar.set_postfix(_shown(logs))
    return logs


def _shown(logs: dict) -> dict:
    return {k: f"{v:.4f}" for k, v in logs.items()}
