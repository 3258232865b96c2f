"""The `blocks:` of a spec and of the files it includes, read into BlockDefs, with every problem located.

    blocks:
      conv_bn:
        params: [filters, kernel_size: 3, strides: 1]   # a bare name is required; `name: value` has a default
        inputs: [x]                                     # optional: one input, which the first layer reads
        layers: [...]                                   # layers, block uses, shared uses, as in `layers:`
        outputs: bn                                     # optional: the last layer"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Code, error
from ..paths import DocPath
from ..source import Document

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
USE_KEYS = ("block", "name", "inputs", "repeat", "trainable")  # a use's own keys; the rest are parameters
RESERVED = frozenset({*USE_KEYS, "shared", "type", "i"})
BLOCK_KEYS = ("params", "inputs", "layers", "outputs", "description")


@dataclass
class Param:
    name: str
    required: bool
    default: Any = None


@dataclass
class BlockDef:
    name: str
    document: Document
    path: DocPath  # ("blocks", name) in its document
    params: list[Param] = field(default_factory=list)
    inputs: list[str] | None = None  # None: one input, read by the first layer
    layers: list = field(default_factory=list)
    outputs: list[str] | None = None  # None: the last item

    def where(self, *rest, at_key: bool = False) -> dict:
        return self.document.where((*self.path, *rest), at_key)


def read_params(raw: Any, document: Document, path: DocPath, diagnostics: list) -> list[Param]:
    """A list of names and single `name: default` mappings, or one mapping of names to defaults."""
    entries: list[tuple[Any, bool, Any, DocPath]] = []
    if isinstance(raw, dict):
        entries = [(key, False, value, (*path, key)) for key, value in raw.items()]
    elif isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, dict) and len(item) == 1:
                (key, value), = item.items()
                entries.append((key, False, value, (*path, index)))
            else:
                entries.append((item, True, None, (*path, index)))
    elif raw is not None:
        diagnostics.append(error(Code.BLOCK_DEFINITION, "params: lists the block's parameters",
                                 "e.g. params: [filters, strides: 1] (a bare name is required, `name: value` has a "
                                 "default)", **document.where(path)))
    params, seen = [], set()
    for name, required, default, where in entries:
        problem = _param_name_problem(name, seen)
        if problem:
            diagnostics.append(error(Code.BLOCK_DEFINITION, problem[0], problem[1], **document.where(where)))
            continue
        seen.add(name)
        params.append(Param(name, required, default))
    return params


def _param_name_problem(name: Any, seen: set) -> tuple[str, str] | None:
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        return (f"{name!r} is not a parameter name", "a parameter is a name of letters, digits and _, or `name: "
                "default`")
    if name in RESERVED:
        return f"'{name}' cannot be a parameter: a use already means something by it", "rename the parameter"
    if name in seen:
        return f"the parameter '{name}' is declared twice", "remove one"
    return None


def _names(raw: Any, document: Document, path: DocPath, what: str, diagnostics: list) -> list[str] | None:
    names = [raw] if isinstance(raw, str) else raw
    if names is None:
        return None
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        diagnostics.append(error(Code.BLOCK_DEFINITION, f"{what}: is a name or a list of names",
                                 f"e.g. {what}: [x]", **document.where(path)))
        return None
    return names


def read_block(name: str, raw: Any, document: Document, diagnostics: list) -> BlockDef | None:
    path = ("blocks", name)
    if not isinstance(raw, dict) or not isinstance(raw.get("layers"), list) or not raw["layers"]:
        diagnostics.append(error(Code.BLOCK_DEFINITION, f"block '{name}' needs a non-empty `layers:` list",
                                 "e.g. conv_bn: {params: [filters], layers: [{type: Conv2D, filters: $filters, "
                                 "kernel_size: 3}, {type: BatchNormalization}]}", **document.where(path)))
        return None
    for key in raw:
        if key not in BLOCK_KEYS:
            from ..schema import did_you_mean  # late: schema imports every layer type
            diagnostics.append(error(Code.BLOCK_DEFINITION, f"unknown field '{key}' in block '{name}'",
                                     did_you_mean(str(key), BLOCK_KEYS) or f"a block has: {', '.join(BLOCK_KEYS)}",
                                     **document.where((*path, key), at_key=True)))
    return BlockDef(name, document, path, read_params(raw.get("params"), document, (*path, "params"), diagnostics),
                    _names(raw.get("inputs"), document, (*path, "inputs"), "inputs", diagnostics), raw["layers"],
                    _names(raw.get("outputs"), document, (*path, "outputs"), "outputs", diagnostics))
