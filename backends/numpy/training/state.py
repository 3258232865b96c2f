"""A training checkpoint as flat arrays (for an .npz): the weights, the optimiser's slots and step count, the
generator's state, the epochs done and the history, so that a resumed run reaches the weights of an
uninterrupted one."""
from __future__ import annotations

import json

import numpy as np

from graphspec.diagnostics import RunError


def training_state(trainer, epochs_done: int, history: dict) -> dict[str, np.ndarray]:
    arrays = {f"weights/{layer}/{w}": a for layer, ws in trainer.model._weights.items() for w, a in ws.items()}
    arrays.update({f"optimizer/{layer}/{w}/{slot}": a for (layer, w), slots in trainer.optimizer.state.items()
                   for slot, a in slots.items()})
    meta = {"epochs_done": epochs_done, "iterations": trainer.optimizer.iterations, "history": history,
            "rng": trainer.rng.bit_generator.state, "optimizer": type(trainer.optimizer).__name__}
    arrays["state"] = np.array(json.dumps(meta))
    return arrays


def load_training_state(trainer, arrays: dict, source: str) -> tuple[int, dict]:
    """Restores a checkpoint into the trainer and its model; returns (epochs done, history so far)."""
    try:
        meta = json.loads(str(arrays["state"]))
    except (KeyError, ValueError):
        raise RunError(f"{source} is not a graphspec training checkpoint (no 'state' entry)") from None
    if meta["optimizer"] != type(trainer.optimizer).__name__:
        raise RunError(f"{source} was written by a {meta['optimizer']} run; this run uses "
                       f"{type(trainer.optimizer).__name__}")
    weights = {}
    for key, array in arrays.items():
        if key.startswith("weights/"):
            _, layer, w = key.split("/", 2)
            weights.setdefault(layer, {})[w] = array
    trainer.model.set_weights(weights)
    state = {}
    for key, array in arrays.items():
        if key.startswith("optimizer/"):
            _, layer, w, slot = key.split("/", 3)
            state.setdefault((layer, w), {})[slot] = array
    trainer.optimizer.state, trainer.optimizer.iterations = state, meta["iterations"]
    trainer.rng.bit_generator.state = meta["rng"]
    return meta["epochs_done"], meta["history"]
