"""Names within one list of layers: explicit ones first, then Keras-style automatic ones (dense, dense_1), and a
repeat's copies (name_1 ... name_N, or by a `name: block$i` template), all distinct."""
from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Code, error
from ..graph import Namer
from ..layers import LAYERS
from ..layers.base import snake_case
from .params import ParamError, substitute
from .scope import Scope

MAX_LAYERS = 100_000  # ten times the largest model a check is measured on (benchmarks/blocks_scaling.py)
COPY_NUMBER = re.compile(r"\$i\b|\$\([^()]*\bi\b[^()]*\)")  # `$i` or `$(i + 1)` in a repeat's name


def name_items(ex, items: list, scope: Scope) -> list[str]:
    """Explicit names first, then Keras-style automatic ones (dense, dense_1), avoiding every copy's name."""
    taken = set(scope.taken)
    explicit: list[str | None] = []
    for index, raw in enumerate(items):
        name = _explicit_name(ex, raw, index, scope)
        found = copy_names(name, raw, scope)
        if name is not None and (name in taken or any(c in taken for c in found)):
            ex.diagnostics.append(error(Code.DUPLICATE_NAME, f"the name '{name}' is already used here",
                                    "give each layer and block use its own name", **scope.where(index, "name", layer=scope.prefix + name)))
            name = None
        taken.update([name, *found] if name else [])
        explicit.append(name)
    namer = Namer(taken)
    return [name or _auto_name(raw, namer, scope) for raw, name in zip(items, explicit)]


def _explicit_name(ex, raw: Any, index: int, scope: Scope) -> str | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        return None
    try:  # a repeat's `name: block$i` names its copies, and the repeat `block1..block3`
        if _templated(raw):
            first = str(substitute(raw["name"], {**scope.params, "i": 1}))
            found = copy_names(first, raw, scope)
            return f"{found[0]}..{found[-1]}" if len(found) > 1 else first
        name = substitute(raw["name"], scope.params)
    except ParamError as exc:
        ex._param_error(exc, scope, (index, "name"), scope.prefix + str(raw["name"]))
        return None
    return name if isinstance(name, str) else None


def _auto_name(raw: Any, namer: Namer, scope: Scope) -> str:
    """A fresh name whose copies (name_1 ... name_N) are free too: a repeat's refused `name: block$i` template
    would name the same taken copies whatever name is tried."""
    base, times = _base_name(raw), _times(raw, scope)
    while True:
        name = namer(base)
        found = copy_names(name, None, scope, times)
        if not found or not namer.taken.intersection(found):
            namer.taken.update(found)
            return name


def copy_names(name: str | None, raw: Any, scope: Scope, times: int | None = None) -> list[str]:
    """A repeat's copies: named by its `name: block$i` template (i from 1), else name_1 ... name_N."""
    times = _times(raw, scope) if times is None else times
    if name is None or times is None:
        return []
    numbered = [f"{name}_{copy}" for copy in range(1, times + 1)]
    if not _templated(raw):
        return numbered
    try:
        named = [str(substitute(raw["name"], {**scope.params, "i": copy})) for copy in range(1, times + 1)]
    except ParamError:
        return numbered  # reported with the name
    return named if len(set(named)) == times else numbered


def _templated(raw: Any) -> bool:
    return isinstance(raw, dict) and "repeat" in raw and isinstance(raw.get("name"), str) and bool(
        COPY_NUMBER.search(raw["name"]))


def _times(raw: Any, scope: Scope) -> int | None:
    """A repeat's number of copies, or None (reported when the repeat is expanded)."""
    try:
        times = substitute(raw.get("repeat"), scope.params) if isinstance(raw, dict) else None
    except ParamError:
        return None
    return times if isinstance(times, int) and not isinstance(times, bool) and 1 <= times <= MAX_LAYERS else None


def _base_name(raw: Any) -> str:
    if not isinstance(raw, dict):
        return "layer"
    if isinstance(raw.get("block"), str):
        return raw["block"]
    if isinstance(raw.get("shared"), str):
        return raw["shared"]
    kind = raw.get("type")
    return snake_case(LAYERS[kind].__name__) if isinstance(kind, str) and kind in LAYERS else "layer"
