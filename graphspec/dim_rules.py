"""What the layer rules and the checker use of named sizes (dims.py): telling them apart, erasing them to None,
and asking questions of them that must hold for every value of the names."""
from __future__ import annotations

from .dims import Inexpressible, SymDim, names_text


def is_named(size) -> bool:
    return isinstance(size, SymDim)


def has_names(shape) -> bool:
    """Whether a shape, or any shape in a list of them (a merge's), holds a named size."""
    if isinstance(shape, (list, tuple)):
        return any(has_names(entry) for entry in shape)
    return isinstance(shape, SymDim)


def erased(shape):
    """The shape (or list of shapes) with each named size unknown (None), as the rules took them before names."""
    if isinstance(shape, list):
        return [erased(entry) for entry in shape]
    if isinstance(shape, tuple):
        return tuple(erased(entry) for entry in shape)
    return None if isinstance(shape, SymDim) else shape


def or_unknown(compute):
    """compute(), or None (an unknown size) where it is not expressible in the names."""
    try:
        return compute()
    except Inexpressible:
        return None


def named_conflict(sizes) -> tuple[str, str] | None:
    """(what, hint) where sizes that must agree include named ones that differ: T and T - 2 (never equal), or T and
    5 (T is left to the data, and this layer would fix it)."""
    known = list(dict.fromkeys(s for s in sizes if s is not None and s != 1))
    if len(known) < 2 or not has_names(known):
        return None
    a, b = known[:2]
    difference = a - b
    if isinstance(difference, int):
        what = f"{a} and {b} differ by {abs(difference)} for every value of {names_text(a if is_named(a) else b)}"
        return what, "crop or pad one input so that both have the same size (Cropping1D/2D, ZeroPadding1D/2D), or " \
                     "use padding: same on the convolution that shortened it"
    fixed = next((s for s in (a, b) if isinstance(s, int)), None)
    if fixed is not None:
        name = a if is_named(a) else b
        return (f"{name} would have to be {fixed}, but the spec leaves {names_text(name)} to the data",
                f"declare the size as {fixed} where the name is declared, or bring the inputs to one size")
    return f"{a} and {b} are not the same size for every value of the names", \
        "give both inputs the same size expression, e.g. by cropping, padding or a Dense"


def surely_empty(size) -> bool:
    """A size that is 0 or less for every value of its names (a window that never fits); unknown sizes are not."""
    return size is not None and surely(lambda: size <= 0)


def surely(condition) -> bool:
    """condition(), False where the names leave it open: for errors that must hold for every value of the names."""
    try:
        return bool(condition())
    except Inexpressible:
        return False
