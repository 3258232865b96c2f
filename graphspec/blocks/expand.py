"""A spec with blocks -> the flat spec it stands for, as if every layer were written out by hand.

Each item of a list of layers is a layer, a block use (`block:`), or a shared use (`shared:`), any of them with
`repeat: N`. A use's layers are named `use/layer`; a repeat's copies `name_1` ... `name_N`, chained, with `i` (1
to N) as a parameter of the copy. Every flat layer remembers where it was written and the uses that led there.
"""
from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Code, error
from ..graph import Namer
from ..layers import LAYERS
from ..layers.base import snake_case
from ..source import Document
from .definitions import BlockTable
from .origin import Group, Origin, Use
from .params import ParamError, substitute
from .scope import Entry, Ref, Resolver, Scope

LAYER_ONLY = ("repeat",)
_COPY_NUMBER = re.compile(r"\$i\b|\$\([^()]*\bi\b[^()]*\)")  # `$i` or `$(i + 1)` in a repeat's name  # item keys that are not the layer's own fields


class Expander:
    def __init__(self, table: BlockTable, diagnostics: list):
        self.table, self.diagnostics = table, diagnostics
        self.layers: list = []  # flat raw layers
        self.origins: list[Origin] = []
        self.names: list[str] = []  # each flat layer's full name
        self.pending: list[tuple[list, bool] | None] = []  # its input Refs (and whether written as one name)
        self.quiet: set[int] = set()  # flat layers whose problem is already reported: the reader adds nothing
        self.shared: dict[str, str] = {}
        self.broken: set[int] = set()  # flat layers whose inputs cannot be wired
        self.resolver = Resolver(diagnostics)

    # one list of items -------------------------------------------------------------------------------------
    def expand_items(self, items: list, scope: Scope, first_inputs: list | None) -> list:
        """Expands `items` into the flat list; returns the folding tree of this scope."""
        names = self._name_items(items, scope)
        tree, previous = [], first_inputs
        for index, (raw, name) in enumerate(zip(items, names)):
            default = previous if index or first_inputs is not None else None
            previous = [Ref(scope, name, (*scope.path, index))]
            tree.append(self.expand_item(raw, name, index, scope, default))
        return tree

    def _name_items(self, items: list, scope: Scope) -> list[str]:
        """Explicit names first, then Keras-style automatic ones (dense, dense_1), avoiding every copy's name."""
        taken = set(scope.taken)
        explicit: list[str | None] = []
        for index, raw in enumerate(items):
            name = self._explicit_name(raw, index, scope)
            copies = _copies(name, raw, scope)
            if name is not None and (name in taken or any(c in taken for c in copies)):
                self.diagnostics.append(error(Code.DUPLICATE_NAME, f"the name '{name}' is already used here",
                                              "give each layer and block use its own name",
                                              **scope.where(index, "name", layer=scope.prefix + name)))
                name = None
            taken.update([name, *copies] if name else [])
            explicit.append(name)
        namer = Namer(taken)
        return [name or self._auto_name(raw, namer, scope) for raw, name in zip(items, explicit)]

    def _explicit_name(self, raw: Any, index: int, scope: Scope) -> str | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            return None
        try:  # a repeat's `name: block$i` names its copies, and the repeat `block1..block3`
            if _templated(raw):
                first = str(substitute(raw["name"], {**scope.params, "i": 1}))
                copies = _copies(first, raw, scope)
                return f"{copies[0]}..{copies[-1]}" if len(copies) > 1 else first
            name = substitute(raw["name"], scope.params)
        except ParamError as exc:
            self._param_error(exc, scope, (index, "name"), scope.prefix + str(raw["name"]))
            return None
        return name if isinstance(name, str) else None

    def _auto_name(self, raw: Any, namer: Namer, scope: Scope) -> str:
        base = _base_name(raw)
        while True:
            name = namer(base)
            copies = _copies(name, raw, scope)
            if not copies or not namer.taken.intersection(copies):
                namer.taken.update(copies)
                return name

    # one item ---------------------------------------------------------------------------------------------
    def expand_item(self, raw: Any, name: str, index: int, scope: Scope, default: list | None):
        times = self._repeat(raw, index, scope, scope.prefix + name)
        if times is None:
            scope.items[name] = Entry("layer", scope.prefix + name)
            return self._emit_invalid(raw, name, index, scope)
        if isinstance(raw, dict) and "shared" in raw:
            from .share import expand_shared
            return expand_shared(self, raw, name, index, scope, default)
        if times == 1 and not (isinstance(raw, dict) and "repeat" in raw):
            return self.expand_one(raw, name, index, scope, default, {}, None)
        group = Group("repeat", scope.prefix + name, _base_label(raw), times=times)
        inputs = default
        for copy, copy_name in enumerate(_copies(name, raw, scope, times), start=1):
            group.items.append(self.expand_one(raw, copy_name, index, scope, inputs, {"i": copy}, (copy, times)))
            inputs = [Ref(scope, copy_name, (*scope.path, index))]
        last = scope.items[copy_name]
        scope.items[name] = Entry("repeat", scope.prefix + name, last.outputs, last.output_names)
        group.outputs = last.outputs or []
        return group

    def _repeat(self, raw: Any, index: int, scope: Scope, full: str) -> int | None:
        if not isinstance(raw, dict) or "repeat" not in raw:
            return 1
        try:
            times = substitute(raw["repeat"], scope.params)
        except ParamError as exc:
            return self._param_error(exc, scope, (index, "repeat"), full)
        if isinstance(times, int) and not isinstance(times, bool) and times >= 1:
            return times
        self.diagnostics.append(error(Code.BAD_REPEAT, f"repeat: {times!r} is not a number of copies",
                                      "write a whole number of 1 or more, e.g. repeat: 3",
                                      **scope.where(index, "repeat", layer=full)))
        return None

    def expand_one(self, raw: Any, name: str, index: int, scope: Scope, inputs: list | None, extra: dict,
                   copy: tuple[int, int] | None):
        if isinstance(raw, dict) and "block" in raw:
            from .use import expand_use
            return expand_use(self, raw, name, index, scope, inputs, extra, copy)
        return self.emit_layer(raw, name, index, scope, inputs, extra, copy)

    # layers -----------------------------------------------------------------------------------------------
    def emit_layer(self, raw: Any, name: str, index: int, scope: Scope, inputs: list | None, extra: dict,
                   copy: tuple[int, int] | None) -> str:
        full = scope.prefix + name
        use = (Use(full, "", (), copy=copy, **scope.place(index)),) if copy else ()
        via = scope.via_for(full, use)
        if not isinstance(raw, dict):
            scope.items[name] = Entry("layer", full, [full])
            self._append(raw, full, Origin(scope.document, (*scope.path, index), via), None)
            return full
        fields, failed = self._substituted_fields(raw, {**scope.params, **extra}, scope, index, full)
        fields.pop("name", None)
        if isinstance(raw.get("name"), str):
            fields["name"] = name  # as written, or a copy's own: the layer's schema checks it (no '/', say)
        if scope.frozen:
            fields["trainable"] = False
        written = fields.pop("inputs", None)
        refs = self._input_refs(written, scope, index) if written is not None else inputs
        if refs is None and not scope.top:
            self.diagnostics.append(error(Code.BLOCK_INPUTS, "the block has several inputs, and its first layer "
                                          "does not say which it reads", f"add inputs: "
                                          f"[{', '.join(scope.bindings)}] (or the one it reads)",
                                          **scope.where(index, layer=full)))
            failed = True
        scope.items[name] = Entry("layer", full, [full], raw=fields)
        self._share(full, scope)
        self._append(fields, full, Origin(scope.document, (*scope.path, index), via),
                     None if refs is None else (refs, isinstance(written, str) or written is None))
        if failed:
            self.quiet.add(len(self.layers) - 1)
        if refs is None and not scope.top:
            self.broken.add(len(self.layers) - 1)
        return full

    def _substituted_fields(self, raw: dict, params: dict, scope: Scope, index: int, full: str) -> tuple[dict, bool]:
        fields, failed = {}, False
        for key, value in raw.items():
            if key in LAYER_ONLY:
                continue
            try:
                fields[key] = substitute(value, params)
            except ParamError as exc:
                self._param_error(exc, scope, (index, key), full)
                fields[key], failed = value, True
        return fields, failed

    def _input_refs(self, written: Any, scope: Scope, index: int) -> list:
        names = [written] if isinstance(written, str) else written
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return [written]  # not names: the reader reports the value
        path = (*scope.path, index, "inputs")
        return [Ref(scope, n, path if isinstance(written, str) else (*path, k)) for k, n in enumerate(names)]

    def _share(self, full: str, scope: Scope) -> None:
        if scope.share is not None:
            owner = scope.share[1] + full[len(scope.share[0]):]
            self.shared[full] = self.shared.get(owner, owner)

    def _emit_invalid(self, raw: Any, name: str, index: int, scope: Scope) -> str:
        full = scope.prefix + name
        self._append({"type": raw.get("type", "?")} if isinstance(raw, dict) else raw, full,
                     Origin(scope.document, (*scope.path, index), scope.via_for(full)), None)
        self.quiet.add(len(self.layers) - 1)
        return full

    def _append(self, raw: Any, full: str, origin: Origin, pending) -> None:
        self.layers.append(raw)
        self.names.append(full)
        self.origins.append(origin)
        self.pending.append(pending)

    def _param_error(self, exc: ParamError, scope: Scope, rest: tuple, layer: str | None = None) -> None:
        self.diagnostics.append(error(Code.PARAM_EXPRESSION, exc.message, exc.hint, **scope.where(*rest, layer=layer)))
        return None

    # the end ----------------------------------------------------------------------------------------------
    def wire(self) -> set[int]:
        """Every pending reference resolved to a flat name; the indices of layers left without their inputs."""
        broken = set(self.broken)
        for index, pending in enumerate(self.pending):
            if pending is None or not isinstance(self.layers[index], dict):
                continue
            refs, single = pending
            names = [self.resolver.resolve(ref) for ref in refs]
            if None in names:
                broken.add(index)
                continue
            self.layers[index]["inputs"] = names[0] if single and len(names) == 1 else names
        return broken


def _copies(name: str | None, raw: Any, scope: Scope, times: int | None = None) -> list[str]:
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
        _COPY_NUMBER.search(raw["name"]))


def _times(raw: Any, scope: Scope) -> int | None:
    """A repeat's number of copies, or None (reported when the repeat is expanded)."""
    try:
        times = substitute(raw.get("repeat"), scope.params) if isinstance(raw, dict) else None
    except ParamError:
        return None
    return times if isinstance(times, int) and not isinstance(times, bool) and times >= 1 else None


def _base_name(raw: Any) -> str:
    if not isinstance(raw, dict):
        return "layer"
    if isinstance(raw.get("block"), str):
        return raw["block"]
    if isinstance(raw.get("shared"), str):
        return raw["shared"]
    kind = raw.get("type")
    return snake_case(LAYERS[kind].__name__) if isinstance(kind, str) and kind in LAYERS else "layer"


def _base_label(raw: Any) -> str:
    if isinstance(raw, dict):
        return str(raw.get("block") or (LAYERS[raw["type"]].__name__ if raw.get("type") in LAYERS else raw.get("type")))
    return "?"


