"""The `blocks:` of a spec and of the files it includes, read into BlockDefs, with every problem located.

    blocks:
      conv_bn:
        params: [filters, kernel_size: 3, strides: 1]   # a bare name is required; `name: value` has a default
        inputs: [x]                                     # optional: one input, which the first layer reads
        layers: [...]                                   # layers, block uses, shared uses, as in `layers:`
        outputs: bn                                     # optional: the last layer

`include: blocks/resnet.yaml` (or a list) reads the blocks of another file, relative to the including one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Code, Diagnostic, error
from ..paths import DocPath
from ..source import Document, read_file

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
USE_KEYS = ("block", "name", "inputs", "repeat", "trainable")  # a use's own keys; the rest are parameters
RESERVED = frozenset({*USE_KEYS, "shared", "type", "i"})
BLOCK_KEYS = ("params", "inputs", "layers", "outputs", "description")
INCLUDED_KEYS = ("graphspec", "include", "blocks", "description")


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


class BlockTable:
    """Every block the spec can use: its own and those of the files it includes, each name defined once."""

    def __init__(self):
        self.blocks: dict[str, BlockDef] = {}
        self.failed: set[str] = set()  # blocks defined wrongly, and said so: their uses say nothing more
        self.diagnostics: list[Diagnostic] = []

    def add_document(self, document: Document, chain: tuple[Path, ...] = ()) -> None:
        data = document.data
        self._include(data.get("include"), document, chain)
        declared = data.get("blocks")
        if declared is None:
            return
        if not isinstance(declared, dict):
            self.diagnostics.append(error(Code.BLOCK_DEFINITION, "blocks: maps each block's name to its definition",
                                          "e.g. blocks: {conv_bn: {params: [filters], layers: [...]}}",
                                          **document.where(("blocks",))))
            return
        for name, raw in declared.items():
            self._add_block(str(name), raw, document)

    def _add_block(self, name: str, raw: Any, document: Document) -> None:
        if not IDENTIFIER.fullmatch(name):
            self.diagnostics.append(error(Code.BLOCK_DEFINITION, f"'{name}' is not a block name",
                                          "a block's name is letters, digits and _",
                                          **document.where(("blocks", name), at_key=True)))
            return
        if name in self.blocks:
            first = self.blocks[name].where(at_key=True)
            place = ":".join(str(p) for p in (first["file"] or "<spec>", first["line"]) if p is not None)
            self.diagnostics.append(error(Code.DUPLICATE_BLOCK, f"block '{name}' is already defined at {place}",
                                          "rename one of the two", **document.where(("blocks", name), at_key=True)))
            return
        block = read_block(name, raw, document, self.diagnostics)
        if block is not None:
            self.blocks[name] = block
        else:
            self.failed.add(name)

    def _include(self, raw: Any, document: Document, chain: tuple[Path, ...]) -> None:
        if raw is None:
            return
        entries = [raw] if isinstance(raw, str) else raw
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            self.diagnostics.append(error(Code.INCLUDE_CONTENT, "include: is a file name or a list of them",
                                          "e.g. include: blocks/resnet.yaml", **document.where(("include",))))
            return
        for index, entry in enumerate(entries):
            path = ("include",) if isinstance(raw, str) else ("include", index)
            self._include_file(entry, document, chain, document.where(path))

    def _include_file(self, entry: str, document: Document, chain: tuple[Path, ...], where: dict) -> None:
        base = document.base_dir or Path(".")
        target = (base / Path(entry).expanduser()).resolve()
        here = Path(document.file).resolve() if document.file else None
        cycle = [*chain, *([here] if here else [])]
        if target in cycle:
            loop = " -> ".join(p.name for p in [*cycle[cycle.index(target):], target])
            self.diagnostics.append(error(Code.INCLUDE_CYCLE, f"the includes form a cycle: {loop}",
                                          "a file cannot include itself, directly or through others", **where))
            return
        included, found = read_file(_shown_path(base / entry))
        if included is None:
            message = found[-1].message if found else "cannot read it"
            self.diagnostics.append(error(Code.INCLUDE_MISSING, f"cannot include '{entry}': {message}",
                                          f"the path is relative to {document.file or 'the spec'}'s folder "
                                          f"({base})", **where))
            self.diagnostics += [d for d in found if d.line is not None]  # a syntax error shows where, in that file
            return
        self.diagnostics += found
        for key in included.data:
            if key not in INCLUDED_KEYS:
                self.diagnostics.append(error(Code.INCLUDE_CONTENT, f"an included file brings blocks; '{key}' has "
                                              "no place in it", "keep models in their own spec, and only `blocks:` "
                                              "(and `include:`) in a shared file", **included.where((key,), True)))
        self.add_document(included, tuple(cycle))


def _shown_path(path: Path) -> Path:
    """The path as diagnostics show it: relative to the working folder when it lies inside it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path
