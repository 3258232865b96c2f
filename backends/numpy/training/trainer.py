"""compile_training, train_on_batch, fit and evaluate, with Keras's semantics; the loop only composes the parts.

A step: forward, loss, backward, optimiser step into new arrays, and only then, when the loss, every gradient and
every new weight are finite, the weights, slots and moving statistics are replaced. Otherwise the step is run
again with checks after every layer, and the error names the epoch, step and first layer that went non-finite.
"""
from __future__ import annotations

import numpy as np

from graphspec.diagnostics import RunError

from ..kernels import KERNELS
from .data import Data, check_steps, checked_data
from .metrics import checked_metrics, resolve_metrics
from .plan import NonFinite, TrainingPlan
from . import losses, metrics, optimizers, schedules  # noqa: F401  (importing them fills the registries)
from .registry import LOSSES, OPTIMIZERS
from .tally import Tally, batch_tally


class TrainingError(RunError):
    """Training stopped; the model keeps the weights of the last good step."""


class Trainer:
    def __init__(self, model, loss, optimizer="rmsprop", metrics=(), seed: int = 0, weighted_metrics=()):
        if len(model.graph.outputs) != 1:
            raise RunError(f"training needs one output; this model has {len(model.graph.outputs)}")
        self.model, self.loss = model, LOSSES.resolve(loss)
        self.optimizer = OPTIMIZERS.resolve(optimizer)
        self.metric_configs = checked_metrics(metrics, "metrics"), checked_metrics(weighted_metrics, "weighted_metrics")
        self.rng = np.random.default_rng(seed)
        self.plan, self.bound, self.epoch, self.step_in_epoch = None, None, 0, 0

    def _plan(self) -> TrainingPlan:
        """Rebuilt when the model's weights were replaced (set_weights, load_weights)."""
        if self.bound is not self.model._weights:
            graph, weights = self.model.graph, self.model._weights
            kernels = {n: KERNELS[graph[n].layer.kind](n, graph[n].layer, weights.get(n, {}))
                       for n in graph.layer_names()}
            self.plan, self.bound = TrainingPlan(graph, kernels), weights
        return self.plan

    def metrics(self, labels, prediction):
        return resolve_metrics(*self.metric_configs, labels.shape, prediction.shape)

    def train_on_batch(self, x, y, sample_weight=None, class_weight=None) -> dict:
        return self._step(checked_data(self.model.graph, x, y, self.loss, "training data", sample_weight,
                                       class_weight)).means()

    def _step(self, data: Data) -> Tally:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # non-finite values are caught below
            return self._checked_step(data)

    def _checked_step(self, data: Data) -> Tally:
        plan, state = self._plan(), self.rng.bit_generator.state
        loss, (prediction, mask), grads, updates = self._gradients(plan, data)
        params = {(layer, w): self.model._weights[layer][w] for layer, ws in grads.items() for w in ws}
        flat = {(layer, w): g for layer, ws in grads.items() for w, g in ws.items()}
        new_params, new_slots = self.optimizer.step(params, flat)
        if not np.isfinite(loss) or not all(np.isfinite(a).all() for a in flat.values()):
            self.rng.bit_generator.state = state
            self._diagnose(plan, data, loss)
        bad = next((key for key, a in new_params.items() if not np.isfinite(a).all()), None)
        if bad is not None:
            raise self._error(f"the optimiser's update of {bad[0]}/{bad[1]} is not finite (loss {loss:.6g}): "
                              "lower the learning rate, or set clipnorm")
        for (layer, w), array in new_params.items():
            self.model._weights[layer][w] = array
        for layer, assigned in updates.items():
            self.model._weights[layer].update(assigned)
        self.optimizer.commit(new_slots)
        return batch_tally(loss, self.metrics(data.labels, prediction), data.labels, prediction, mask, data.weights)

    def _gradients(self, plan, data: Data, check=False):
        tape = plan.forward(data.arrays, self.rng, check)
        output = plan.outputs[0]
        prediction, mask = tape.outputs[output], tape.masks[output]
        check_steps(data.labels, prediction)
        loss, d_prediction = self.loss(data.labels, prediction, mask, data.weights)
        grads, updates = plan.backward(tape, {output: d_prediction}, check)
        return loss, (prediction, mask), grads, updates

    def _diagnose(self, plan, data: Data, loss):
        """Runs the failed step again, checking every layer, to name the first one that went non-finite."""
        try:
            self._gradients(plan, data, check=True)
        except NonFinite as exc:
            raise self._error(f"the loss became {loss:.6g}: {exc}; the weights are those of the last good step") \
                from None
        raise self._error(f"the loss became {loss:.6g} (every layer's output was finite: the loss's own "
                          "arithmetic overflowed); the weights are those of the last good step")

    def _error(self, message: str) -> TrainingError:
        return TrainingError(f"epoch {self.epoch + 1}, step {self.step_in_epoch + 1}: {message}")

    def evaluate(self, x, y, batch_size: int = 32, sample_weight=None) -> dict:
        return self._evaluate(checked_data(self.model.graph, x, y, self.loss, "evaluation data", sample_weight),
                              batch_size)

    def _evaluate(self, data: Data, batch_size) -> dict:
        """Keras's evaluate: inference mode, the loss and metrics weighed by the output's mask and the sample
        weights as in training."""
        tally, output = Tally(), self.model.graph.outputs[0]
        for start in range(0, data.count, batch_size):
            batch = data.part(slice(start, start + batch_size))
            outputs, masks = self.model._plan.run_with_masks(self.model._prepared(batch.arrays))
            prediction, mask, labels = outputs[output], masks[output], batch.labels
            check_steps(labels, prediction, "evaluation data")
            loss = self.loss(labels, prediction, mask, batch.weights)[0]
            tally.merge(batch_tally(loss, self.metrics(labels, prediction), labels, prediction, mask, batch.weights))
        return tally.means()
