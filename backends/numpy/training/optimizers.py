"""Keras 3's optimisers: its argument names, defaults and update rules (keras/src/optimizers/*.py), in float32.

`step(params, grads)` returns new arrays (weights and slots) without touching the old ones, so the trainer
commits them only once everything came out finite: a failed step leaves the weights as they were.
Order as Keras's apply_gradients: clip (clipnorm per weight, global_clipnorm, or clipvalue), weight decay
(w -= w * weight_decay * lr), the update rule at the current learning rate, then iterations += 1.
"""
from __future__ import annotations

import math

import numpy as np

from .registry import OPTIMIZERS, SCHEDULES

F32 = np.float32


class Optimizer:
    slots: tuple[str, ...] = ()

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name=None):
        if sum(v is not None for v in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("only one of clipnorm, clipvalue and global_clipnorm can be set")
        self.learning_rate = SCHEDULES.resolve(learning_rate) if isinstance(learning_rate, dict) else learning_rate
        self.name = name
        self.weight_decay, self.clipnorm, self.clipvalue = weight_decay, clipnorm, clipvalue
        self.global_clipnorm, self.iterations, self.state = global_clipnorm, 0, {}

    def current_learning_rate(self) -> float:
        rate = self.learning_rate
        return float(rate(self.iterations) if callable(rate) else rate)

    def step(self, params: dict, grads: dict):
        """(new weights, new slots) by key, for every key in grads."""
        grads, lr, new_params, new_state = self.clipped(grads), F32(self.current_learning_rate()), {}, {}
        t = self.iterations + 1
        for key, g in grads.items():
            w = params[key]
            if self.weight_decay:
                w = w - w * F32(self.weight_decay) * lr
            slots = self.state.get(key) or self.initial_slots(w)
            new_params[key], new_state[key] = self.update(w, g.astype(F32, copy=False), slots, lr, t)
        return new_params, new_state

    def commit(self, new_state: dict) -> None:
        self.state.update(new_state)
        self.iterations += 1

    def initial_slots(self, w) -> dict:
        return {name: np.zeros_like(w) for name in self.slots}

    def clipped(self, grads: dict) -> dict:
        if self.clipnorm:
            return {k: _clip_by_norm(g, self.clipnorm) for k, g in grads.items()}
        if self.global_clipnorm:
            norm = math.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grads.values()))
            scale = F32(self.global_clipnorm * min(1 / norm if norm else math.inf, 1 / self.global_clipnorm))
            return {k: g * scale for k, g in grads.items()}
        if self.clipvalue:
            return {k: np.clip(g, -self.clipvalue, self.clipvalue) for k, g in grads.items()}
        return grads


def _clip_by_norm(g, clipnorm):
    norm = np.sqrt(np.sum(np.square(g)))
    return (g * F32(clipnorm)) / np.maximum(norm, F32(clipnorm))


@OPTIMIZERS.register("sgd", "SGD")
class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, name="SGD"):
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name)
        if not 0 <= momentum <= 1:
            raise ValueError(f"momentum must be between 0 and 1, got {momentum}")
        self.momentum, self.nesterov = momentum, nesterov
        self.slots = ("momentum",) if momentum else ()

    def update(self, w, g, slots, lr, t):
        if not self.momentum:
            step = g * lr
            return np.subtract(w, step, out=step), {}  # one new array, not two: a big table's update halves
        m = slots["momentum"] * F32(self.momentum) - g * lr
        step = m * F32(self.momentum) - g * lr if self.nesterov else m
        return w + step, {"momentum": m}


@OPTIMIZERS.register("adam", "Adam")
class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, name="adam"):
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name)
        self.beta_1, self.beta_2, self.epsilon, self.amsgrad = beta_1, beta_2, epsilon, amsgrad
        self.slots = ("momentum", "velocity", "velocity_hat") if amsgrad else ("momentum", "velocity")

    def update(self, w, g, slots, lr, t):
        b1, b2 = F32(self.beta_1), F32(self.beta_2)
        alpha = lr * np.sqrt(F32(1) - b2 ** F32(t)) / (F32(1) - b1 ** F32(t))
        m = slots["momentum"] + (g - slots["momentum"]) * (F32(1) - b1)
        v = slots["velocity"] + (np.square(g) - slots["velocity"]) * (F32(1) - b2)
        new = {"momentum": m, "velocity": v}
        if self.amsgrad:
            v = new["velocity_hat"] = np.maximum(slots["velocity_hat"], v)
        return w - (m * alpha) / (np.sqrt(v) + F32(self.epsilon)), new


@OPTIMIZERS.register("adamw", "AdamW")
class AdamW(Adam):
    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, clipnorm=None, clipvalue=None, global_clipnorm=None, name="adamw"):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay, clipnorm, clipvalue,
                         global_clipnorm, name)


@OPTIMIZERS.register("rmsprop", "RMSprop")
class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name="rmsprop"):
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered
        self.slots = ("velocity",) + (("momentum",) if momentum > 0 else ()) + (("average_gradient",) if centered else ())

    def update(self, w, g, slots, lr, t):
        rho = F32(self.rho)
        velocity = rho * slots["velocity"] + (F32(1) - rho) * np.square(g)
        new = {"velocity": velocity}
        if self.centered:
            average = new["average_gradient"] = rho * slots["average_gradient"] + (F32(1) - rho) * g
            denominator = velocity - np.square(average) + F32(self.epsilon)
        else:
            denominator = velocity + F32(self.epsilon)
        increment = (lr * g) / np.sqrt(denominator)
        if self.momentum > 0:
            increment = new["momentum"] = F32(self.momentum) * slots["momentum"] + increment
        return w - increment, new


@OPTIMIZERS.register("adagrad", "Adagrad")
class Adagrad(Optimizer):
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name="adagrad"):
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm, name)
        self.initial_accumulator_value, self.epsilon = initial_accumulator_value, epsilon

    def initial_slots(self, w):
        return {"accumulator": np.full_like(w, self.initial_accumulator_value)}

    def update(self, w, g, slots, lr, t):
        accumulator = slots["accumulator"] + np.square(g)
        return w - (lr * g) / np.sqrt(accumulator + F32(self.epsilon)), {"accumulator": accumulator}
