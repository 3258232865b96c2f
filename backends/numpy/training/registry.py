"""Losses, metrics, optimisers and schedules found by their Keras names, with Keras's argument names.

A config is a name ("adam"), or a mapping {"type": name, argument: value...}, as a spec's `training:` block
writes it; the class's keyword arguments are Keras's, so an unknown one is an error naming the accepted ones.
"""
from __future__ import annotations

import difflib
import inspect

from graphspec.diagnostics import RunError


class Registry(dict):
    def __init__(self, kind: str, also=()):
        super().__init__()
        self.kind, self.also = kind, tuple(also)  # also: names resolved elsewhere (accuracy, by the shapes)

    def register(self, *names: str):
        def add(cls):
            for name in names:
                self[name] = cls
            return cls
        return add

    def resolve(self, config, **defaults):
        """An instance from a name, a {"type": ...} mapping, a spec's option (graphspec.training.options), or an
        instance already made (returned as it is)."""
        if hasattr(config, "config") and hasattr(config, "model_dump"):
            config = config.config()
        if not isinstance(config, (str, dict)):
            return config
        fields = {"type": config} if isinstance(config, str) else dict(config)
        name = fields.pop("type", None)
        cls = self.get(name) or self.get(_snake(name) if isinstance(name, str) else None)
        if cls is None:
            raise self.unknown(name)
        problem = argument_problem(cls, fields)
        if problem:
            raise RunError(f"{self.kind} '{name}': {problem}")
        return cls(**{**defaults, **fields} if defaults else fields)


    def unknown(self, name) -> RunError:
        names = sorted({*self, *self.also})
        close = difflib.get_close_matches(str(name), names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(names)}"
        return RunError(f"unknown {self.kind} {name!r}{hint}")


def arguments(cls) -> list[str]:
    return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]


def argument_problem(cls, fields: dict) -> str | None:
    accepted = arguments(cls)
    for key in fields:
        if key not in accepted:
            close = difflib.get_close_matches(key, accepted, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"accepted: {', '.join(accepted)}"
            return f"unknown argument '{key}'; {hint}"
    return None


def _snake(name: str) -> str:
    """Keras's class names (MeanSquaredError) to its function names (mean_squared_error)."""
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


LOSSES, METRICS, OPTIMIZERS, SCHEDULES = Registry("loss"), Registry("metric", also=("accuracy", "acc")), \
    Registry("optimizer"), Registry("learning-rate schedule")
