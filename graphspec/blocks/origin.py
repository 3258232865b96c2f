"""Where each layer of an expanded spec was written, and the block uses that put it there.

Expanding blocks turns a spec into a flat list of layers, as if written out by hand; every later stage reads
that list. `ExpandedDocument.where` sends each of its paths back to the text it came from: the block's line,
in whichever file holds the block, with the chain of uses (`Via`) that led there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..paths import DocPath
from ..source import Document


@dataclass(frozen=True)
class Use:
    """One block use (or one copy of a repeated use): its full name, block, parameters and where it is written."""

    name: str
    block: str
    params: tuple[tuple[str, Any], ...] = ()
    file: str | None = None
    line: int | None = None
    column: int | None = None
    copy: tuple[int, int] | None = None  # (this copy, copies) for a repeat

    def __str__(self) -> str:
        given = ", ".join(f"{key}: {_shown(value)}" for key, value in self.params)
        copy = f"copy {self.copy[0]} of {self.copy[1]}" if self.copy else ""
        details = ", ".join(part for part in (given, copy) if part)
        place = ":".join(str(p) for p in (self.file or "<spec>", self.line, self.column) if p is not None)
        return f"'{self.name}' (block {self.block}{', ' + details if details else ''}) at {place}"


def _shown(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else "null" if value is None else str(value)


@dataclass(frozen=True)
class Via:
    """The uses that led to a layer, outermost first; a diagnostic prints them after its message."""

    uses: tuple[Use, ...]
    layer: str | None = None  # the layer's full name, for diagnostics found before layers are named

    def __str__(self) -> str:
        return "\n    in ".join(str(use) for use in reversed(self.uses))

    def __bool__(self) -> bool:
        return bool(self.uses)

    def records(self) -> list[dict]:
        """The uses as plain data, for `check --format json`."""
        return [{"name": use.name, "block": use.block or None, "params": dict(use.params), "file": use.file,
                 "line": use.line, "column": use.column, "copy": list(use.copy) if use.copy else None}
                for use in self.uses]


@dataclass
class Origin:
    """Where a layer of the flat list was written: the document and the path of its mapping there."""

    document: Document
    path: DocPath
    via: Via | None = None


@dataclass
class Group:
    """A block use or a repeat, as the summary and the diagram fold it; `items` are Groups and layer names."""

    kind: str  # "use" or "repeat"
    name: str
    block: str  # the block's name, or a layer type for a repeated layer
    outputs: list[str] = field(default_factory=list)  # the flat references its readers get
    items: list = field(default_factory=list)
    times: int = 1
    shares: str | None = None  # a shared use: the use whose weights it takes

    def layers(self) -> list[str]:
        found = []
        for item in self.items:
            found += item.layers() if isinstance(item, Group) else [item]
        return found


class ExpandedDocument(Document):
    """The flat spec's data, locating each of its paths in the files the layers were written in."""

    def __init__(self, data: dict, main: Document, origins: list[Origin], tree: list, shared: dict[str, str]):
        super().__init__(data, main.file, main.base_dir)
        self.main, self.origins, self.tree, self.shared = main, origins, tree, shared

    def where(self, path: DocPath, at_key: bool = False) -> dict:
        if len(path) >= 2 and path[0] == "layers" and isinstance(path[1], int) and path[1] < len(self.origins):
            origin = self.origins[path[1]]
            return {**origin.document.where((*origin.path, *path[2:]), at_key), "via": origin.via or None}
        return self.main.where(path, at_key)
