"""References to one output of a layer: `encoder` (its first output), `encoder:state_h` or `encoder:1`.

A layer with several outputs (an LSTM with return_state: output, state_h, state_c) is read one output at a time,
as `name:output` or `name:index`, TensorFlow's `name:0` convention. The graph stores every reference in one
canonical form: the bare layer name for a first output, `name:output_name` for the others.
"""
from __future__ import annotations

SEPARATOR = ":"


def split(ref: str, known) -> tuple[str, str | None]:
    """(node, port as written or None); a node whose own name holds the separator is matched whole first."""
    if ref in known or SEPARATOR not in ref:
        return ref, None
    node, port = ref.rsplit(SEPARATOR, 1)
    return node, port.strip()


def resolve(port: str | None, names: list[str]) -> int | None:
    """The index of a port written as a name or an index among `names`; None when there is no such output."""
    if port is None:
        return 0
    if port.isdigit():
        return int(port) if int(port) < len(names) else None
    return names.index(port) if port in names else None


def canonical(node: str, index: int, names: list[str]) -> str:
    return node if index == 0 else f"{node}{SEPARATOR}{names[index]}"


def listing(names: list[str]) -> str:
    """'0 output, 1 state_h, 2 state_c': a layer's outputs as a reference may name them."""
    return ", ".join(f"{i} {name}" for i, name in enumerate(names))
