"""What a layer is made of, for `graphspec render --expand`: a few primitive operations and their weights.

A layer's `primitives(input_shape)` lists them in order; the last one produces the layer's output.
This module registers no layer type: it is the small vocabulary the layer modules describe themselves in.
"""

from dataclasses import dataclass, field

INPUT = "input"  # in `consumes`: the layer's input(s)


def input_of(index: int) -> str:
    """In `consumes`: one of a multi-input layer's inputs (attention's query is input_of(0))."""
    return f"{INPUT}:{index}"


@dataclass(frozen=True)
class Primitive:
    """One operation inside a layer.

    `consumes` names the ops whose results it takes (or INPUT); left empty, it takes the op just before it,
    or the layer's input if it is the first. Naming itself or a later op is a recurrence: that op's value
    from the previous time step.
    """

    name: str
    label: str
    weights: dict[str, tuple[int, ...]] = field(default_factory=dict)
    consumes: tuple[str, ...] = ()
    note: str | None = None


def pick(weights: dict[str, tuple[int, ...]], *names: str) -> dict[str, tuple[int, ...]]:
    """The named weights a layer has (a bias may be switched off), taken from its own `weight_shapes`."""
    return {name: weights[name] for name in names if name in weights}


def bias(weights: dict[str, tuple[int, ...]], weight: str = "bias", name: str = "bias") -> list[Primitive]:
    return [Primitive(name, f"+ {weight}", pick(weights, weight))] if weight in weights else []


def activation(function: str | None, name: str = "activation") -> list[Primitive]:
    """Nothing for a linear layer: Keras's default activation is the identity."""
    return [] if function in (None, "linear") else [Primitive(name, function)]
