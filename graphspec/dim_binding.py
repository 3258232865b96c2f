"""Named sizes at run time: each name bound once per call from the arrays, and the sizes the layers derive checked.

The checker states what a run must meet (every derived size, T - 2 after a valid width-3 window, is at least 1:
T >= 3); a backend calls `bind_sizes` on the arrays it is given, before it computes anything, so that a name that
disagrees is named in the error rather than found as a broadcasting failure deep inside a kernel.
"""
from __future__ import annotations

import math

from .diagnostics import RunError
from .dim_rules import has_names, is_named
from .dims import SymDim


def _linear(size: SymDim, name: str) -> tuple[int, int]:
    """(a, b) of a * name + b."""
    return size.terms[(name,)], size.constant


def _bind_entry(values: dict, where: dict, input_name: str, axis: int, size: SymDim, got: int) -> bool:
    """Binds the one unbound name of a linear size from the array's length; False when it must wait."""
    unbound = size.names - set(values)
    if not unbound:
        want = size.evaluate(values)
        if want != got:
            bound = ", ".join(f"{n} = {values[n]} (from {where[n]})" for n in sorted(size.names))
            raise RunError(f"input '{input_name}' has {got} on axis {axis}, where the model expects {size}: "
                           f"{bound} makes it {want}; arrays that share a name must agree on it")
        return True
    name = size.linear_in()
    if name is None or len(unbound) > 1:
        return False
    a, b = _linear(size, name)
    value, remainder = divmod(got - b, a)
    if remainder or value < 1:
        raise RunError(f"input '{input_name}' has {got} on axis {axis}, where the model expects {size}: no whole "
                       f"{name} >= 1 gives {got}")
    values[name], where[name] = value, f"input '{input_name}' axis {axis}"
    return True


def bind_sizes(expected: dict, shapes: dict[str, tuple[int, ...]]) -> dict[str, int]:
    """The value of every name, from the arrays' shapes (input name -> shape, batch first)."""
    values: dict[str, int] = {}
    where: dict[str, str] = {}
    pending = [(name, axis, size, shapes[name][axis]) for name, tensor in expected.items()
               for axis, size in enumerate(tensor.shape) if is_named(size)]
    while pending:
        left = [entry for entry in pending if not _bind_entry(values, where, *entry)]
        if len(left) == len(pending):
            name, axis, size, _ = left[0]
            raise RunError(f"input '{name}' axis {axis} is {size}, which no other input fixes: graphspec binds a "
                           f"name from a size that is the name alone or a multiple of it plus a number (T, 2 * T + 1)")
        pending = left
    return values


def size_constraints(graph) -> dict[str, tuple[str, object]]:
    """Every derived named size must be >= 1: text of the condition -> (the first layer that needs it, its size)."""
    needs: dict[str, tuple[str, object]] = {}
    if not any(t is not None and has_names(t.shape) for t in graph.input_types.values()):
        return needs
    for name in graph.topological_order():
        output = graph.nodes[name].output
        for size in output.shape if output is not None else ():
            if is_named(size) and not surely_positive(size):
                needs.setdefault(condition_text(size), (name, size))
    return needs


def surely_positive(size: SymDim) -> bool:
    return size.bounds()[0] >= 1


def condition_text(size: SymDim) -> str:
    """'T >= 3' for T - 2 >= 1; the polynomial itself for anything but a multiple of one name plus a number."""
    name = size.linear_in()
    if name is not None:
        a, b = _linear(size, name)
        if a > 0:
            return f"{name} >= {math.ceil((1 - b) / a)}"
    return f"{size} >= 1"


def check_sizes(graph, shapes: dict[str, tuple[int, ...]], needs: dict | None = None) -> dict[str, int]:
    """Binds the names from the arrays and checks that every size the layers derive is at least 1; `needs`, the
    graph's size_constraints, where a caller keeps them from call to call."""
    values = bind_sizes(graph.input_types, shapes)
    if not values:
        return values
    for condition, (layer, size) in (size_constraints(graph) if needs is None else needs).items():
        if size.evaluate(values) < 1:
            given = ", ".join(f"{n} = {values[n]}" for n in sorted(size.names))
            raise RunError(f"{given} is too small for this model: layer '{layer}' outputs {size} = "
                           f"{size.evaluate(values)} there; it needs {condition}")
    return values
