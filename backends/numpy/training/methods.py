"""The training calls a compiled Model gains (Keras's compile, fit, evaluate, train_on_batch, by other names
where graphspec already uses one: `graphspec.compile` builds the model, `compile_training` prepares training)."""
from __future__ import annotations

from graphspec.diagnostics import RunError

from ..kernels import KERNELS
from ..kernels.base import has_backward


class TrainingMethods:
    _trainer = None

    def compile_training(self, loss=None, optimizer=None, metrics=None, seed: int | None = None,
                         weighted_metrics=None):
        """Keras's model.compile(loss=, optimizer=, metrics=, weighted_metrics=): names or {"type": ...,
        argument: value} mappings; weighted_metrics are weighed by fit's sample_weight or class_weight, metrics
        are not. What is left out comes from the spec's training: block, else Keras's defaults (rmsprop, no
        metrics)."""
        from .trainer import Trainer

        untrainable = [f"{name} ({self.graph[name].layer.kind})" for name in self.graph.layer_names()
                       if not has_backward(KERNELS[self.graph[name].layer.kind])]
        if untrainable:
            raise RunError(f"graphspec cannot train this model yet: no backward pass for {', '.join(untrainable)}; "
                           "it runs at inference; training for these layer types is not implemented yet")
        block = self.graph.spec.training if self.graph.spec is not None else None
        if loss is None and block is None:
            raise RunError("compile_training needs a loss (loss='mse', say), or a training: block in the spec")
        pick = lambda given, field, default: given if given is not None else getattr(block, field, default)  # noqa: E731
        self._trainer = Trainer(self, pick(loss, "loss", None), pick(optimizer, "optimizer", "rmsprop"),
                                pick(metrics, "metrics", ()), pick(seed, "seed", 0),
                                pick(weighted_metrics, "weighted_metrics", ()))
        return self

    def _training(self):
        if self._trainer is None:
            raise RunError("call compile_training(loss=..., optimizer=...) before fit, evaluate or train_on_batch")
        return self._trainer

    def train_on_batch(self, x, y, sample_weight=None, class_weight=None) -> dict:
        return self._training().train_on_batch(x, y, sample_weight, class_weight)

    def fit(self, x, y, epochs=1, batch_size=32, shuffle=True, validation_data=None, validation_split=0.0,
            callbacks=(), initial_epoch=0, progress=True, on_epoch_end=None, sample_weight=None, class_weight=None,
            verbose="auto"):
        """Keras's fit; on_epoch_end(epoch, logs) runs after each epoch (graphspec train writes its checkpoint).
        A progress bar per epoch unless progress=False or Keras's verbose=0."""
        from .fit import fit

        if verbose not in (0, 1, 2, "auto"):
            raise RunError(f"verbose is 0 (silent), 1, 2 or 'auto' (a progress bar per epoch), as in Keras; got {verbose!r}")
        return fit(self._training(), x, y, epochs, batch_size, shuffle, validation_data, validation_split,
                   callbacks, initial_epoch, progress and verbose != 0, on_epoch_end, sample_weight, class_weight)

    def training_state(self, epochs_done: int, history: dict) -> dict:
        """A checkpoint as flat arrays: weights, optimiser slots and steps, the generator, the history."""
        from .state import training_state

        return training_state(self._training(), epochs_done, history)

    def load_training_state(self, arrays: dict, source: str = "the checkpoint") -> tuple[int, dict]:
        from .state import load_training_state

        return load_training_state(self._training(), arrays, source)

    def evaluate(self, x, y, batch_size=32, sample_weight=None) -> dict:
        return self._training().evaluate(x, y, batch_size, sample_weight)
