"""Layers written alike are read alike. A block's copies and a repeat's hold the same fields, their inputs'
names apart, so a big spec validates each distinct layer once and copies it with its own inputs."""
from __future__ import annotations

from typing import Any

_UNKNOWN = object()


def reading_key(raw: dict) -> tuple | None:
    """What validating `raw` depends on besides the names its inputs give; None when that is not plain."""
    form = _inputs_form(raw)
    if form is _UNKNOWN:
        return None
    return form, repr([(key, value) for key, value in raw.items() if key != "inputs"])


def _inputs_form(raw: dict) -> Any:
    """The shape of `inputs` the validators look at: written or not, one name, how many, which keys."""
    if "inputs" not in raw:
        return "absent"
    inputs = raw["inputs"]
    if inputs is None or isinstance(inputs, str):
        return repr(type(inputs))
    if isinstance(inputs, list) and all(isinstance(name, str) for name in inputs):
        return len(inputs)
    if isinstance(inputs, dict) and all(isinstance(k, str) and isinstance(n, str) for k, n in inputs.items()):
        return tuple(inputs)
    return _UNKNOWN


def read_alike(raw: dict, seen: dict, validate, name: str | None = None) -> Any:
    """`validate(raw)`, or a copy of the layer validated from a mapping written the same way; `name`, if given, is
    the layer's full name (a block's `use/layer`, which a written name may not hold), set in the same copy."""
    key = reading_key(raw)
    if key is not None and key in seen:
        update = {"inputs": raw["inputs"]} if "inputs" in raw else {}
        return seen[key].model_copy(update={**update, "name": name} if name else update or None)
    layer = validate(raw)  # a ValidationError propagates and caches nothing
    if key is not None:
        seen[key] = layer
    return layer.model_copy(update={"name": name}) if name else layer
