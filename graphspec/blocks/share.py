"""`{shared: encoder, inputs: right}`: the layer (or every layer of the block use) `encoder`, applied to another
input with the same weights, as calling one Keras layer on two tensors does."""
from __future__ import annotations

from ..diagnostics import Code, error
from .origin import Origin, Use
from .scope import Entry, Scope
from .use import instantiate

SHARED_KEYS = ("shared", "name", "inputs")


def _per_call(owner: Entry | None) -> tuple[str, ...]:
    """The fields a shared use of this layer gives itself: the tensors a Keras call takes as keywords
    (initial_state=[h, c]), which belong to one call, not to the weights."""
    from ..layers import LAYERS
    kind = LAYERS.get(owner.raw.get("type")) if owner is not None and isinstance(owner.raw, dict) else None
    return getattr(kind, "reference_fields", ())


def expand_shared(ex, raw: dict, name: str, index: int, scope: Scope, default: list | None):
    full = scope.prefix + name
    per_call = _per_call(scope.items.get(raw.get("shared")) if isinstance(raw.get("shared"), str) else None)
    for key in raw:
        if key not in (*SHARED_KEYS, *per_call):
            ex.diagnostics.append(error(Code.SHARED_FIELDS, f"a shared use takes only name and inputs; '{key}' "
                                        f"would make it differ from '{raw['shared']}'", "remove it: the fields (and "
                                        "weights) are those of the layer it shares", **scope.where(
                                            index, key, at_key=True, layer=full)))
    entry = _owner(ex, raw.get("shared"), index, scope, full)
    written = raw.get("inputs")
    refs = ex._input_refs(written, scope, index) if written is not None else default
    if entry is None:
        return ex._emit_invalid(raw, name, index, scope)
    if entry.kind == "use":
        block, bound = entry.use
        record = Use(full, block.name, (("shared", entry.full),), **scope.place(index))
        return instantiate(ex, block, bound, name, refs, scope, index, record, scope.frozen, entry.full)
    fields = {key: value for key, value in entry.raw.items() if key != "name" and key not in per_call}
    fields |= {key: raw[key] for key in per_call if key in raw}
    if isinstance(raw.get("name"), str):
        fields["name"] = name
    ex.shared[full] = ex.shared.get(entry.full, entry.full)
    scope.items[name] = Entry("layer", full, [full], raw=entry.raw)
    ex._append(fields, full, Origin(scope.document, (*scope.path, index), scope.via_for(full)),
               None if refs is None else (refs, isinstance(written, str) or written is None))
    ex.quiet.add(len(ex.layers) - 1)  # its fields are the owner's, whose problems are reported there
    return full


def _owner(ex, owner, index: int, scope: Scope, full: str) -> Entry | None:
    entry = scope.items.get(owner) if isinstance(owner, str) else None
    where = scope.where(index, "shared", layer=full)
    if entry is None:
        from ..schema import did_you_mean
        known = [n for n, e in scope.items.items() if e.kind != "repeat"]
        hint = did_you_mean(str(owner), known) or ("a shared use names a layer or block use written before it"
                                                   + (f": {', '.join(known)}" if known else ""))
        ex.diagnostics.append(error(Code.UNKNOWN_SHARED, f"no layer or block use '{owner}' comes before this one "
                                    "to share", hint, **where))
        return None
    if entry.kind == "repeat":
        ex.diagnostics.append(error(Code.UNKNOWN_SHARED, f"'{owner}' is a repeat, whose copies have weights of "
                                    "their own", f"share one copy, e.g. shared: {owner}_1", **where))
        return None
    if entry.outputs is None or (entry.kind == "layer" and entry.raw is None):
        return None  # the layer or use failed, and says so
    return entry
