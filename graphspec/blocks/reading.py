"""A version-2 document read into a Spec: expanded, read as the flat spec it stands for, each layer given the full
name it was expanded under, each diagnostic the layer it is about, a block's field wrong in every use told once."""
from __future__ import annotations

import re
from typing import Callable

from ..diagnostics import Code, Diagnostic
from ..source import Document
from .expand import Expander
from .origin import Via

_LAYER_PATH = re.compile(r"layers\[(\d+)\]")


def read_with_blocks(document: Document, read_flat: Callable):
    """The Spec of a version-2 document: its flat spec read by `read_flat`, each layer named as expanded."""
    from ..schema import InvalidLayer
    from . import expand  # the package's: expanding needs the whole of it
    expanded, expander, broken = expand(document)
    names = expander.names
    spec = read_flat(expanded, names)
    top = {o.path[1]: n for o, n in zip(expander.origins, names) if o.document is document and not o.via}
    quiet = {names[i] for i in expander.quiet}
    named = [_named(d, top, document) for d in spec._diagnostics if not _follows_from_uses(d, expander, document)]
    spec._diagnostics = [*expander.diagnostics, *_once(d for d in named if d.layer not in quiet)]
    for index, layer in enumerate(spec.layers):
        if index in broken:
            spec.layers[index] = InvalidLayer.model_construct(type=layer.kind, name=names[index], inputs=None,
                                                              trainable=True)
        elif layer.name != names[index]:  # read without its name: through the union, or salvaged
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
