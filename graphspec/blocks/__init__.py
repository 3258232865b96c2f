"""Specs for big models (format version 2): reusable blocks with parameters, repeats, shared layers, includes.

A spec with blocks is expanded, before anything else reads it, into the flat spec it stands for (expand.py);
that flat spec is read, wired and checked as any version-1 spec, and each of its diagnostics points back at
the line where the layer was written, naming the block uses that led there (origin.py). The summary and the
diagram fold the layers again by block use (fold.py).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ..diagnostics import Code, Diagnostic, error
from ..source import Document
from .definitions import BlockTable, read_params
from .expand import Expander
from .origin import ExpandedDocument, Group, Via
from .params import ParamError, substitute
from .scope import Scope

VERSION = 2
_TOP_KEYS = ("blocks", "include", "params")
_ITEM_KEYS = ("block", "shared", "repeat")
_LAYER_PATH = re.compile(r"layers\[(\d+)\]")


def uses_blocks(data: Any) -> bool:
    """Whether a document is written in version 2 or uses its syntax (then it is read as one, and told so)."""
    if not isinstance(data, dict):
        return False
    if data.get("graphspec") == VERSION and not isinstance(data.get("graphspec"), bool):
        return True
    layers = data.get("layers")
    items = layers if isinstance(layers, list) else []
    return any(key in data for key in _TOP_KEYS) or any(
        isinstance(item, dict) and any(key in item for key in _ITEM_KEYS) for item in items)


def _model_params(document: Document, diagnostics: list) -> dict:
    bound: dict[str, Any] = {}
    for param in read_params(document.data.get("params"), document, ("params",), diagnostics):
        if param.required:
            diagnostics.append(error(Code.MISSING_PARAM, f"the model's parameter '{param.name}' has no value",
                                     f"write it as `{param.name}: <value>`", **document.where(("params",))))
            continue
        try:
            bound[param.name] = substitute(param.default, bound)
        except ParamError as exc:
            diagnostics.append(error(Code.PARAM_EXPRESSION, exc.message, exc.hint,
                                     **document.where(("params", param.name))))
    return bound


def _substituted(document: Document, key: str, params: dict, diagnostics: list) -> Any:
    try:
        return substitute(document.data[key], params)
    except ParamError as exc:
        diagnostics.append(error(Code.PARAM_EXPRESSION, exc.message, exc.hint, **document.where((key,))))
        return document.data[key]


def _version(document: Document, diagnostics: list) -> Any:
    version = document.data.get("graphspec")
    if version == 1 and not isinstance(version, bool):
        diagnostics.append(error(Code.BLOCKS_NEED_VERSION, "blocks, repeat, shared and include are format version 2",
                                 "write `graphspec: 2`", **document.where(("graphspec",))))
        return 1
    return 1 if version == VERSION and not isinstance(version, bool) else version


def expand(document: Document) -> tuple[ExpandedDocument, Expander, set[int]]:
    """The flat spec of a version-2 document; its problems are in the Expander's diagnostics."""
    diagnostics: list[Diagnostic] = []
    flat = {key: value for key, value in document.data.items() if key not in _TOP_KEYS}
    if "graphspec" in flat:
        flat["graphspec"] = _version(document, diagnostics)
    table = BlockTable()
    table.add_document(document)
    diagnostics += table.diagnostics
    params = _model_params(document, diagnostics)
    for key in ("name", "inputs"):
        if key in flat:
            flat[key] = _substituted(document, key, params, diagnostics)
    inputs = flat.get("inputs") if isinstance(flat.get("inputs"), dict) else {}
    expander = Expander(table, diagnostics)
    scope = Scope(document, ("layers",), params=params, taken=frozenset(map(str, inputs)))
    tree = expander.expand_items(flat["layers"], scope, None) if isinstance(flat.get("layers"), list) else []
    broken = expander.wire()
    if isinstance(flat.get("layers"), list):
        flat["layers"] = expander.layers
    if isinstance(flat.get("outputs"), (str, list)):
        flat["outputs"] = _outputs(expander, scope, flat["outputs"])
    _resolve_groups(expander, tree)
    return ExpandedDocument(flat, document, expander.origins, tree, expander.shared), expander, broken


def _outputs(expander: Expander, scope: Scope, written):
    from .scope import Ref
    names = [written] if isinstance(written, str) else written
    if not all(isinstance(n, str) for n in names):
        return written  # the reader reports the value
    paths = [("outputs",)] if isinstance(written, str) else [("outputs", k) for k in range(len(names))]
    resolved = [expander.resolver.resolve(Ref(scope, n, path)) for n, path in zip(names, paths)]
    resolved = [name for name in resolved if name is not None]
    return resolved[0] if isinstance(written, str) and resolved else resolved or None


def _resolve_groups(expander: Expander, tree: list) -> None:
    for item in tree:
        if isinstance(item, Group):
            item.outputs = [name for name in (expander.resolver.resolve(r) for r in item.outputs or [])
                            if name is not None]
            _resolve_groups(expander, item.items)


def read_with_blocks(document: Document, read_flat: Callable):
    """The Spec of a version-2 document: its flat spec read by `read_flat`, each layer named as expanded."""
    from ..schema import InvalidLayer
    expanded, expander, broken = expand(document)
    spec = read_flat(expanded)
    names = expander.names
    top = {o.path[1]: n for o, n in zip(expander.origins, names) if o.document is document and not o.via}
    quiet = {names[i] for i in expander.quiet}
    named = [_named(d, top, document) for d in spec._diagnostics if not _follows_from_uses(d, expander, document)]
    spec._diagnostics = [*expander.diagnostics, *_once(d for d in named if d.layer not in quiet)]
    for index, layer in enumerate(spec.layers):
        if index in broken:
            spec.layers[index] = InvalidLayer.model_construct(type=layer.kind, name=names[index], inputs=None,
                                                              trainable=True)
        else:
            spec.layers[index] = layer.model_copy(update={"name": names[index]})
    return spec


def _follows_from_uses(diagnostic: Diagnostic, expander: Expander, document: Document) -> bool:
    """No layers left when every use failed: the uses' errors say why."""
    written = document.data.get("layers")
    return (diagnostic.code is Code.MISSING_FIELD and diagnostic.path == "layers" and not expander.layers
            and isinstance(written, list) and bool(written))


def _once(diagnostics) -> list[Diagnostic]:
    """A field of a block wrong in every use is told once, naming the other uses, not once per use."""
    groups: dict[tuple, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.code, diagnostic.message, diagnostic.file, diagnostic.line, diagnostic.column)
        groups.setdefault(key if diagnostic.via else (id(diagnostic),), []).append(diagnostic)
    return [_also(found) for found in groups.values()]


def _also(found: list[Diagnostic]) -> Diagnostic:
    if len(found) == 1:
        return found[0]
    others = [d.layer for d in found[1:] if d.layer]
    shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
    return found[0].located(message=f"{found[0].message} (and the same in {len(others)} more: {shown})")


def _named(diagnostic: Diagnostic, top: dict[int, str], document: Document) -> Diagnostic:
    """A schema problem, found before layers have names, given the full name of the layer it is about."""
    if diagnostic.layer:
        return diagnostic
    if isinstance(diagnostic.via, Via):
        return diagnostic.located(layer=diagnostic.via.layer)
    match = _LAYER_PATH.match(diagnostic.path or "")
    if match and diagnostic.file == document.file and int(match.group(1)) in top:
        return diagnostic.located(layer=top[int(match.group(1))])
    return diagnostic


__all__ = ["uses_blocks", "expand", "read_with_blocks", "ExpandedDocument", "Group", "Via", "VERSION"]
