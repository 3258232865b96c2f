"""Specs for big models (format version 2): reusable blocks with parameters, repeats, shared layers, includes.

A spec with blocks is expanded, before anything else reads it, into the flat spec it stands for (expand.py);
that flat spec is read, wired and checked as any version-1 spec, and each of its diagnostics points back at
the line where the layer was written, naming the block uses that led there (origin.py). The summary and the
diagram fold the layers again by block use (fold.py).
"""
from __future__ import annotations

from typing import Any

from ..diagnostics import Code, Diagnostic, error
from ..source import Document
from .definitions import read_params
from .include import BlockTable
from .expand import Expander
from .origin import ExpandedDocument, Group, Via
from .params import ParamError, substitute
from .scope import Scope

VERSION = 2
_TOP_KEYS = ("blocks", "include", "params")
_ITEM_KEYS = ("block", "shared", "repeat")


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
    if expander.oversized:  # told once; checking a model cut short would only add errors that follow from it
        expander.layers, expander.names, expander.origins, expander.pending, tree = [], [], [], [], []
        expander.quiet, expander.broken = set(), set()
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


from .reading import read_with_blocks  # noqa: E402 - it reads what expand gives

__all__ = ["uses_blocks", "expand", "read_with_blocks", "ExpandedDocument", "Group", "Via", "VERSION"]
