"""The shape of a declared input, whose sizes may be named: `shape: [T, 128]`, `[H, W, 3]`, `[32 * h, 32 * w, 3]`.

An entry is a whole number >= 1, null (unknown, as before), a name, or a polynomial of names (`2 * T + 1`). A name is
a size the model does not fix, the same in every input that uses it and bound once per call from the arrays; a
multiple (`32 * h`) says the size divides by 32, so that `h` survives the five halvings of a ResNet.
"""
from __future__ import annotations

import ast
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError, PydanticKnownError

from .dims import SymDim

_FORMS = "a whole number, null, a name (T) or a sum of multiples of names (2 * T + 1, H * W)"
ENTRY_SCHEMA = {"anyOf": [
    {"type": "integer", "minimum": 1}, {"type": "null"},
    {"type": "string", "pattern": r"^[\sA-Za-z0-9_+*()-]+$",
     "description": "A named size the data fixes (T, H), or a polynomial of names (2 * T + 1, 32 * h)."}]}


def _entry(value: Any):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PydanticKnownError("int_type")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        raise PydanticKnownError("int_type")  # "28", quoted: the reader's hint says to remove the quotes
    size = value if isinstance(value, int) else _parsed(value)
    if isinstance(size, int):
        if size <= 0:
            raise PydanticKnownError("greater_than", {"gt": 0})
        return size
    if size.bounds()[1] < 1:
        raise PydanticCustomError("size_expression", "'{text}' is below 1 for every value of {names}",
                                  {"text": value, "names": ", ".join(sorted(size.names)),
                                   "hint": "a size is 1 or more: write the name alone, or add to it"})
    return size


def _parsed(text: str):
    try:
        return parse_size(text)
    except ValueError as exc:
        raise PydanticCustomError("size_expression", "a size {reason}", {
            "text": text, "reason": str(exc), "hint": f"write each size as {_FORMS}"}) from None


def _parse_text(value: Any) -> Any:
    """"(T, 128)" as Python writes a shape is the list ['T', 128], each entry then read on its own."""
    from .layers.base import _parse_shape  # the plain-number forms and their messages stay the layers' own
    if not isinstance(value, str):
        return _parse_shape(value)
    try:
        return _parse_shape(value)
    except PydanticCustomError as exc:
        if exc.type != "shape_syntax":  # "(20)" is the bare number 20, which has its own message
            raise
        try:
            tree = ast.parse(value.strip(), mode="eval").body
        except SyntaxError:
            raise PydanticCustomError("shape_syntax", "'{text}' is not a shape", {"text": value}) from None
        if not isinstance(tree, (ast.Tuple, ast.List)):
            raise PydanticCustomError("bare_shape", "a shape must be a list, but got '{text}'", {"text": value})
        return [node.value if isinstance(node, ast.Constant) else ast.get_source_segment(value.strip(), node)
                for node in tree.elts]


SizeEntry = Annotated[Any, PlainValidator(_entry), WithJsonSchema(ENTRY_SCHEMA)]
NamedShape = Annotated[tuple[SizeEntry, ...], BeforeValidator(_parse_text)]


def named_sizes(shape) -> list[SymDim]:
    return [d for d in shape if isinstance(d, SymDim)]


_OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}


def parse_size(text: str) -> Size:
    """'T', '2 * T + 1', 'H * W' as a size; ValueError with the reason for anything else."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError("is a whole number, a name or an expression of names") from None
    return _size_of(tree)


def _size_of(node) -> Size:
    if isinstance(node, ast.Name):
        return SymDim.named(node.id)
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_size_of(node.left), _size_of(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_size_of(node.operand)
    raise ValueError("is written with names, whole numbers, +, - and * only")
