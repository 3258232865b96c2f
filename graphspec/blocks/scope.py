"""Names within one list of layers (the model's, or one use of a block) and the references that read them.

A reference is resolved only when the whole spec is expanded, so a layer may read one written after it, as
in a flat spec. `u` reads a block use's first output, `u:1` or `u:name` another one, `u/conv1` a layer inside
it; `r` reads a repeat's last copy and `r_2` its second.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Code, error
from ..paths import DocPath
from ..source import Document
from .origin import Use, Via


@dataclass
class Ref:
    scope: "Scope"
    text: str
    path: DocPath  # where it is written, in the scope's document


@dataclass
class Entry:
    """What a name of a scope stands for: a layer, a block use (or a copy of one), or a repeat."""

    kind: str  # "layer", "use" or "repeat"
    full: str
    outputs: list | None = None  # Refs (or flat names) its readers get; None after a failure already reported
    output_names: list[str] = field(default_factory=list)  # a use's block outputs as the block names them
    raw: dict | None = None  # a layer's fields after substitution, for `shared:`
    use: Any = None  # a use's (block, params), for `shared:`


@dataclass
class Scope:
    document: Document
    path: DocPath  # of its list of layers
    prefix: str = ""  # "stage2_a/" inside the use stage2_a
    params: dict[str, Any] = field(default_factory=dict)
    bindings: dict[str, Any] | None = None  # a block's input names -> the Refs its use gives them
    via: tuple[Use, ...] = ()
    stack: tuple[str, ...] = ()  # the blocks being expanded, to refuse recursion
    share: tuple[str, str] | None = None  # (this prefix, the prefix whose weights it uses)
    frozen: bool = False  # a use with trainable: false
    items: dict[str, Entry] = field(default_factory=dict)
    taken: frozenset = frozenset()  # names no item may take: the model's inputs

    @property
    def top(self) -> bool:
        return self.bindings is None

    def via_for(self, layer: str, extra: tuple[Use, ...] = ()) -> Via | None:
        uses = (*self.via, *extra)
        return Via(uses, layer) if uses else None

    def place(self, index: int) -> dict:
        """file, line and column of item `index`, as a Use records them."""
        where = self.document.where((*self.path, index))
        return {"file": where["file"], "line": where["line"], "column": where["column"]}

    def where(self, *rest, at_key: bool = False, layer: str | None = None, node_kind: str = "layer") -> dict:
        return {**self.document.where((*self.path, *rest), at_key), "via": self.via_for(layer or ""),
                "layer": layer, "node_kind": node_kind}


class Resolver:
    """Turns References into flat layer names once every scope is filled."""

    def __init__(self, diagnostics: list):
        self.diagnostics = diagnostics

    def resolve(self, ref: Any, seen: frozenset = frozenset()) -> str | None:
        if not isinstance(ref, Ref):  # a flat name already, or a value (false, 3) the reader reports as invalid
            return ref
        key = (id(ref.scope), ref.text)
        if key in seen:
            self._report(ref, Code.CYCLE, f"'{ref.text}' leads back to itself through block inputs and outputs",
                         "a block that passes its input straight out cannot read its own result")
            return None
        scope, (head, sep, pick) = ref.scope, ref.text.partition(":")
        if scope.bindings is not None and head in scope.bindings:
            bound = self.resolve(scope.bindings[head], seen | {key})  # `x:1`: output 1 of what x is bound to
            return bound if bound is None or not sep else f"{bound.partition(':')[0]}{sep}{pick}"
        entry = scope.items.get(head)
        if entry is None:
            return self._outside(ref, scope, head)
        if entry.outputs is None:
            return None  # its failure is already reported
        if entry.kind == "layer":
            return entry.full + sep + pick
        chosen = self._pick(ref, entry, pick) if sep else entry.outputs[0]
        return None if chosen is None else self.resolve(chosen, seen | {key})

    def _outside(self, ref: Ref, scope: Scope, head: str) -> str | None:
        first, slash, _ = head.partition("/")
        if slash and first in scope.items and scope.items[first].kind != "layer":
            return scope.prefix + ref.text  # a layer inside a use: the flat name it has
        if scope.top:
            return ref.text  # a model input, or a name the wiring check reports as unknown
        from ..schema import did_you_mean
        known = [*scope.bindings, *scope.items]
        self._report(ref, Code.UNKNOWN_REFERENCE, f"no layer or block input is named '{ref.text}' in this block",
                     did_you_mean(ref.text, known) or f"known here: {', '.join(known)}")
        return None

    def _pick(self, ref: Ref, entry: Entry, pick: str):
        if pick.isdigit() and int(pick) < len(entry.outputs):
            return entry.outputs[int(pick)]
        if pick in entry.output_names:
            return entry.outputs[entry.output_names.index(pick)]
        self._report(ref, Code.BLOCK_OUTPUT, f"'{entry.full}' has no output '{pick}'",
                     f"its outputs: {', '.join(entry.output_names)} (or 0 to {len(entry.outputs) - 1})")
        return None

    def _report(self, ref: Ref, code: Code, message: str, hint: str) -> None:
        self.diagnostics.append(error(code, message, hint, **ref.scope.document.where(ref.path),
                                      via=ref.scope.via_for("")))
