"""Keras's EarlyStopping: stop when the monitored value stopped improving for `patience` epochs."""
from __future__ import annotations

import numpy as np

from .fit import restore, snapshot


class EarlyStopping:
    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        if mode == "auto":
            mode = "max" if "acc" in monitor or monitor.endswith("auc") else "min"
        self.monitor, self.sign = monitor, 1 if mode == "min" else -1
        self.min_delta, self.patience, self.restore = abs(min_delta), patience, restore_best_weights
        self.best = np.inf if baseline is None else self.sign * baseline
        self.start_from_epoch, self.wait, self.best_weights, self.stopped_epoch = start_from_epoch, 0, None, None

    def set_trainer(self, trainer):
        self.trainer = trainer

    def on_epoch_end(self, epoch: int, logs: dict) -> bool:
        """True when training should stop."""
        if self.monitor not in logs or epoch < self.start_from_epoch:
            return False
        value = self.sign * logs[self.monitor]
        if value < self.best - self.min_delta:
            self.best, self.wait = value, 0
            if self.restore:
                self.best_weights = snapshot(self.trainer.model._weights)
            return False
        self.wait += 1
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            if self.restore and self.best_weights is not None:
                restore(self.trainer.model._weights, self.best_weights)
            return True
        return False
