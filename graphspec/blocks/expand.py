"""A spec with blocks -> the flat spec it stands for, as if every layer were written out by hand.

Each item of a list of layers is a layer, a block use (`block:`), or a shared use (`shared:`), any of them with
`repeat: N`. A use's layers are named `use/layer`; a repeat's copies `name_1` ... `name_N`, chained, with `i` (1
to N) as a parameter of the copy. Every flat layer remembers where it was written and the uses that led there.
"""
from __future__ import annotations

from typing import Any

from ..diagnostics import Code, error
from ..layers import LAYERS
from .include import BlockTable
from .naming import MAX_LAYERS, copy_names, name_items
from .origin import Group, Origin, Use
from .params import ParamError, substitute
from .scope import Entry, Ref, Resolver, Scope

LAYER_ONLY = ("repeat",)


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
        self.oversized = False  # a repeat passed MAX_LAYERS: no more copies

    # one list of items -------------------------------------------------------------------------------------
    def expand_items(self, items: list, scope: Scope, first_inputs: list | None) -> list:
        """Expands `items` into the flat list; returns the folding tree of this scope."""
        names = name_items(self, items, scope)
        tree, previous = [], first_inputs
        for index, (raw, name) in enumerate(zip(items, names)):
            default = previous if index or first_inputs is not None else None
            previous = [Ref(scope, name, (*scope.path, index))]
            tree.append(self.expand_item(raw, name, index, scope, default))
        return tree

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
        later = {key: value for key, value in raw.items() if key != "inputs"}  # copy 2 on reads the one before
        for copy, copy_name in enumerate(copy_names(name, raw, scope, times), start=1):
            if copy > 1 and self._too_large(index, scope, scope.prefix + name):
                break
            written = raw if copy == 1 else later
            group.items.append(self.expand_one(written, copy_name, index, scope, inputs, {"i": copy}, (copy, times)))
            inputs, last = [Ref(scope, copy_name, (*scope.path, index))], scope.items[copy_name]
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
        if isinstance(times, int) and not isinstance(times, bool) and 1 <= times <= MAX_LAYERS:
            return times
        if isinstance(times, int) and not isinstance(times, bool) and times > MAX_LAYERS:
            self.oversized = True
            self.diagnostics.append(error(Code.BAD_REPEAT, f"repeat: {times:,} makes more layers than the "
                                          f"{MAX_LAYERS:,} graphspec checks", "is the number mistyped?",
                                          **scope.where(index, "repeat", layer=full)))
            return None
        self.diagnostics.append(error(Code.BAD_REPEAT, f"repeat: {times!r} is not a number of copies",
                                      "write a whole number of 1 or more, e.g. repeat: 3",
                                      **scope.where(index, "repeat", layer=full)))
        return None

    def _too_large(self, index: int, scope: Scope, full: str) -> bool:
        """Whether the copies so far passed MAX_LAYERS (told once, at the repeat that passed it): nested repeats
        multiply, and a mistyped count would otherwise expand until memory runs out."""
        if len(self.layers) < MAX_LAYERS and not self.oversized:
            return False
        if not self.oversized:
            self.oversized = True
            self.diagnostics.append(error(Code.BAD_REPEAT, f"the copies of this repeat take the model past "
                                          f"{MAX_LAYERS:,} layers, the most graphspec checks",
                                          "are the numbers of copies mistyped?",
                                          **scope.where(index, "repeat", layer=full)))
        return True

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
        form = list(written) if isinstance(written, dict) else isinstance(written, str) or written is None
        self._append(fields, full, Origin(scope.document, (*scope.path, index), via),
                     None if refs is None else (refs, form))
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
        if isinstance(written, dict) and all(isinstance(n, str) for n in written.values()):  # {query: x, value: y}
            path = (*scope.path, index, "inputs")
            return [Ref(scope, n, (*path, key)) for key, n in written.items()]
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
            refs, form = pending  # True: one name; False: a list; a list of keys: a mapping of names
            names = [self.resolver.resolve(ref) for ref in refs]
            if None in names:
                broken.add(index)
                continue
            if isinstance(form, list):
                self.layers[index]["inputs"] = dict(zip(form, names))
            else:
                self.layers[index]["inputs"] = names[0] if form and len(names) == 1 else names
        return broken


def _base_label(raw: Any) -> str:
    if isinstance(raw, dict):
        kind = raw.get("type")  # any YAML value: a list or a mapping is reported as a bad type, not looked up
        return str(raw.get("block") or (LAYERS[kind].__name__ if isinstance(kind, str) and kind in LAYERS else kind))
    return "?"


