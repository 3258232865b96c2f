"""What a value must be, in words, read from the label pydantic gives each member of a union in an error's loc
(`int`, `tuple[int, int]`, `list[union[float,list[...]]]`...), so every field that takes several forms is worded
from its type, whatever the layer."""
from __future__ import annotations

import re
from typing import Any, NamedTuple


class Form(NamedTuple):
    one: str  # "a whole number"
    many: str  # "whole numbers"
    example: str | None  # "3"
    pair: str | None = None  # "[3, 3]": two of them, as a list's example


# The scalars; constrained-int (an int with a bound) is an int.
_ATOMS = {"int": Form("a whole number", "whole numbers", "3"), "float": Form("a number", "numbers", "0.5"),
          "str": Form("a name", "names", "conv1", "[a, b]"), "bool": Form("true or false", "true/false values", "true"),
          "none": Form("null", "nulls", "null")}
_LABEL = re.compile(r"(constrained-)?(int|float|str|bool|none)|[a-z-]+\[.*\]")
_NESTED = "list[...]"  # pydantic's label for a recursive reference back to the enclosing list


def is_label(part: Any) -> bool:
    """Whether a loc item is a union member's label rather than a field name or an index."""
    return isinstance(part, str) and _LABEL.fullmatch(part) is not None


def _split(label: str) -> tuple[str, list[str]]:
    """'tuple[int, list[str]]' -> ('tuple', ['int', 'list[str]']): its head and top-level arguments."""
    if "[" not in label:
        return label, []
    head, inner = label[: label.index("[")], label[label.index("[") + 1: -1]
    args, depth, start = [], 0, 0
    for i, char in enumerate(inner):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            args.append(inner[start:i].strip())
            start = i + 1
    return head, [*args, inner[start:].strip()]


def _pair(item: Form) -> str | None:
    return item.pair or (f"[{item.example}, {item.example}]" if item.example else None)


def describe(label: str) -> Form:
    """The words for one label; an unknown one is its own label."""
    atom = _ATOMS.get(label.removeprefix("constrained-"))
    if atom:
        return atom
    head, args = _split(label)
    if head.startswith("function-") and len(args) == 2:  # a validator around a type: the type's words
        return describe(args[1])
    if head == "literal":
        names = ", ".join(a.strip("'\"") for a in args)
        return Form(f"one of {names}", f"values from {names}", args[0].strip("'\""))
    if head == "union":
        if _NESTED in args:  # union[float, list[...]]: an array written as nested lists
            inner = describe(next(a for a in args if a != _NESTED))
            return Form(f"{inner.one} or a list of them", f"{inner.many} (lists may nest)", inner.example)
        forms = [describe(a) for a in args]
        return Form(" or ".join(f.one for f in forms), " or ".join(f.many for f in forms), forms[0].example)
    if head in ("list", "tuple", "set", "frozenset") and args:
        return _sequence(args)
    if head == "dict" and len(args) == 2:  # attention's inputs by name
        value = describe(args[1])
        return Form(f"a mapping of {value.many}", f"mappings of {value.many}", None)
    return Form(label, label, None)


def _sequence(args: list[str]) -> Form:
    if len(args) == 1 or args[-1] == "...":
        item = describe(args[0])
        return Form(f"a list of {item.many}", f"lists of {item.many}", _pair(item))
    items = [describe(a) for a in args]
    if len(set(items)) == 1:
        count = "a pair" if len(items) == 2 else f"a list of {len(items)}"
        return Form(f"{count} of {items[0].many}", f"{'pairs' if len(items) == 2 else 'lists'} of {items[0].many}",
                    f"[{', '.join(i.example or '?' for i in items)}]")
    listed = f"a list [{', '.join(i.one for i in items)}]"
    return Form(listed, listed, f"[{', '.join(i.example or '?' for i in items)}]")


def forms(labels: list[str]) -> tuple[str, str | None]:
    """('a number or a list of numbers', 'e.g. 0.5 or [0.5, 0.5]') for the members a value fitted none of."""
    described = [describe(label) for label in labels]
    examples = list(dict.fromkeys(f.example for f in described if f.example))
    return " or ".join(dict.fromkeys(f.one for f in described)), f"e.g. {' or '.join(examples)}" if examples else None


def shown(value: Any) -> str:
    """A value as the spec wrote it: true, null, [1, 2], 'text'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return f"[{', '.join(shown(v) for v in value)}]"
    return repr(value)
