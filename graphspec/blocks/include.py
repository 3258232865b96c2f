"""Every block a spec can use: its own, and those of the files it includes (`include: blocks/resnet.yaml`, or a
list), each file relative to the one including it, each block name defined once, include cycles refused."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..diagnostics import Code, Diagnostic, error
from ..source import Document, read_file
from .definitions import IDENTIFIER, BlockDef, read_block

INCLUDED_KEYS = ("graphspec", "include", "blocks", "description")


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
