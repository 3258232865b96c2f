"""One use of a block: its parameters bound (given, or the block's defaults), its inputs given, its layers expanded
under its name."""
from __future__ import annotations

from typing import Any

from ..diagnostics import Code, error
from .definitions import USE_KEYS, BlockDef
from .origin import Group, Use
from .params import ParamError, substitute
from .scope import Entry, Ref, Scope


def expand_use(ex, raw: dict, name: str, index: int, scope: Scope, inputs: list | None, extra: dict,
               copy: tuple[int, int] | None):
    full = scope.prefix + name
    block = _block(ex, raw, index, scope, full)
    if block is None:
        scope.items[name] = Entry("use", full)
        return None
    given = _given(ex, raw, index, scope, extra, block, full)
    bound = _bind(ex, block, given, index, scope, full) if given is not None else None
    refs = ex._input_refs(raw["inputs"], scope, index) if raw.get("inputs") is not None else inputs
    if bound is None:
        scope.items[name] = Entry("use", full)
        return None
    use = Use(full, block.name, tuple(given.items()), copy=copy, **scope.place(index))
    frozen = scope.frozen or raw.get("trainable") is False
    return instantiate(ex, block, bound, name, refs, scope, index, use, frozen, share_of=_owner(scope, full))


def instantiate(ex, block: BlockDef, bound: dict, name: str, refs: list | None, scope: Scope, index: int, use: Use,
                frozen: bool, share_of: str | None) -> Group | None:
    """The block's layers under `scope.prefix + name`; `share_of`: the use whose weights they take, if any."""
    full = scope.prefix + name
    bindings, first = _bindings(ex, block, refs, scope, index, full)
    if bindings is None:
        scope.items[name] = Entry("use", full)
        return None
    inner = Scope(block.document, (*block.path, "layers"), f"{full}/", bound, bindings, (*scope.via, use),
                  (*scope.stack, block.name), (f"{full}/", f"{share_of}/") if share_of else None, frozen)
    if first is None and block.inputs:
        first = [Ref(inner, block.inputs[0], (*block.path, "inputs"))] if len(block.inputs) == 1 else None
    tree = ex.expand_items(block.layers, inner, first)
    names = block.outputs or [list(inner.items)[-1] if inner.items else ""]
    path = (*block.path, "outputs")
    outputs = [Ref(inner, out, path if len(names) == 1 else (*path, k)) for k, out in enumerate(names)]
    scope.items[name] = Entry("use", full, outputs, names, use=(block, bound))
    return Group("use", full, block.name, outputs=outputs, items=[t for t in tree if t is not None],
                 shares=share_of)


def _owner(scope: Scope, full: str) -> str | None:
    return scope.share[1] + full[len(scope.share[0]):] if scope.share else None


def _block(ex, raw: dict, index: int, scope: Scope, full: str) -> BlockDef | None:
    name = raw["block"]
    block = ex.table.blocks.get(name) if isinstance(name, str) else None
    where = scope.where(index, "block", layer=full, node_kind="block use")
    if block is None and isinstance(name, str) and name in ex.table.failed:
        return None
    if block is None and not isinstance(name, str):
        ex.diagnostics.append(error(Code.UNKNOWN_BLOCK, f"block: takes a block's name, got {name!r}",
                                    "write the name of a block defined under `blocks:`, e.g. block: residual", **where))
        return None
    if block is None:
        from ..schema import did_you_mean
        known = sorted(ex.table.blocks)
        hint = did_you_mean(str(name), known) or (f"the blocks: {', '.join(known)}" if known else
                                                  "define it under `blocks:`, or include the file that does")
        ex.diagnostics.append(error(Code.UNKNOWN_BLOCK, f"no block is named '{name}'", hint, **where))
        return None
    if name in scope.stack:
        loop = " -> ".join([*scope.stack[scope.stack.index(name):], name])
        ex.diagnostics.append(error(Code.BLOCK_RECURSION, f"block '{name}' uses itself: {loop}",
                                    "a block cannot contain itself, directly or through other blocks", **where))
        return None
    return block


def _given(ex, raw: dict, index: int, scope: Scope, extra: dict, block: BlockDef, full: str) -> dict | None:
    """The parameters the use gives, evaluated where the use is written (`i` being a repeat's copy number)."""
    declared = [p.name for p in block.params]
    given, failed = {}, False
    for key, value in raw.items():
        if key in USE_KEYS:
            continue
        if key not in declared:
            from ..schema import did_you_mean
            hint = did_you_mean(str(key), declared) or (f"block '{block.name}' takes: {', '.join(declared)}"
                                                        if declared else f"block '{block.name}' takes no parameters")
            ex.diagnostics.append(error(Code.UNKNOWN_PARAM, f"block '{block.name}' has no parameter '{key}'", hint,
                                        **scope.where(index, key, at_key=True, layer=full, node_kind="block use")))
            failed = True
            continue
        try:
            given[key] = substitute(value, {**scope.params, **extra})
        except ParamError as exc:
            ex.diagnostics.append(error(Code.PARAM_EXPRESSION, exc.message, exc.hint,
                                        **scope.where(index, key, layer=full, node_kind="block use")))
            failed = True
    trainable = raw.get("trainable", True)
    if not isinstance(trainable, bool):
        ex.diagnostics.append(error(Code.INVALID_VALUE, f"trainable: {trainable!r} is not true or false",
                                    "trainable: false freezes every layer of the use",
                                    **scope.where(index, "trainable", layer=full, node_kind="block use")))
        failed = True
    return None if failed else given


def _bind(ex, block: BlockDef, given: dict, index: int, scope: Scope, full: str) -> dict | None:
    """Each declared parameter's value: given, or its default, which may use the parameters before it."""
    bound: dict[str, Any] = {}
    missing = [p.name for p in block.params if p.required and p.name not in given]
    if missing:
        listed = ", ".join(f"'{m}'" for m in missing)
        ex.diagnostics.append(error(Code.MISSING_PARAM, f"block '{block.name}' needs the parameter(s) {listed}",
                                    f"add {missing[0]}: <value> to the use",
                                    **scope.where(index, layer=full, node_kind="block use")))
        return None
    for number, param in enumerate(block.params):
        if param.name in given:
            bound[param.name] = given[param.name]
            continue
        try:
            bound[param.name] = substitute(param.default, bound)
        except ParamError as exc:
            ex.diagnostics.append(error(Code.PARAM_EXPRESSION, exc.message, exc.hint,
                                        **block.where("params"), via=scope.via_for("")))
            return None
    return bound


def _bindings(ex, block: BlockDef, refs: list | None, scope: Scope, index: int, full: str):
    """(block input name -> the Ref the use gives it, the first layer's inputs), or (None, None) after an error."""
    if refs is None and scope.top and len(scope.taken) == 1:
        refs = [next(iter(scope.taken))]  # the first use of a model with one input reads it
    wanted = block.inputs or ["(its input)"]
    if refs is None or len(refs) != len(wanted):
        count = "no input" if refs is None else f"{len(refs)} input(s)"
        listed = ", ".join(wanted) if block.inputs else "one input"
        ex.diagnostics.append(error(Code.BLOCK_INPUTS, f"block '{block.name}' takes {listed}, but the use gives "
                                    f"{count}", f"write inputs: [{', '.join(['...'] * len(wanted))}] on the use, "
                                    "in the order the block lists its inputs",
                                    **scope.where(index, "inputs", layer=full, node_kind="block use")))
        return None, None
    if not block.inputs:
        return {}, refs
    return dict(zip(block.inputs, refs)), None

