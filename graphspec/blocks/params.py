"""Parameter substitution in a block's fields: `$name`, `$(expression)`, and `$$` for a dollar sign.

A value that is one reference (`filters: $filters`, `strides: $(2 if i == 1 else 1)`) takes the parameter's own
type, so a number stays a number and a list a list; a reference inside longer text (`name: conv$i`) is written
into it. Expressions are Python's arithmetic on numbers, comparisons, `and`/`or`/`not`, `a if c else b`, a list
and its index, and min, max, int, round and abs, evaluated from the syntax tree (never `eval`). A division that
comes out whole is a whole number (`$(filters / 2)` is 32, not 32.0), since layer sizes must be whole numbers.
"""
from __future__ import annotations

import ast
import functools
import operator
import re
from typing import Any

_REFERENCE = re.compile(r"\$\$|\$\(|\$([A-Za-z_][A-Za-z0-9_]*)")
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
           ast.Mod: operator.mod, ast.Pow: operator.pow}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
FUNCTIONS = {"min": min, "max": max, "int": int, "round": round, "abs": abs}


class ParamError(ValueError):
    """A reference that cannot be substituted; `hint` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


def has_reference(text: str) -> bool:
    return "$" in text


def substitute(value: Any, scope: dict[str, Any]) -> Any:
    """`value` (any plain data) with every reference in its strings replaced from `scope`."""
    if isinstance(value, str):
        return _substitute_text(value, scope) if "$" in value else value
    if isinstance(value, list):
        return [substitute(item, scope) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, scope) for key, item in value.items()}
    return value


def _substitute_text(text: str, scope: dict[str, Any]) -> Any:
    pieces, position = [], 0
    for start, end, kind, body in _references(text):
        pieces.append(text[position:start])
        pieces.append(("$",) if kind == "dollar" else (evaluate(body, scope),))
        position = end
    pieces.append(text[position:])
    parts = [piece for piece in pieces if piece != ""]
    if len(parts) == 1 and isinstance(parts[0], tuple):
        return parts[0][0]  # the whole value is one reference: it keeps the parameter's type
    return "".join(piece if isinstance(piece, str) else _as_text(piece[0]) for piece in parts)


def _as_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _references(text: str):
    """(start, end, kind, expression text) of each `$name`, `$(...)` and `$$` in `text`."""
    position = 0
    while (match := _REFERENCE.search(text, position)) is not None:
        if match.group() == "$$":
            yield match.start(), match.end(), "dollar", ""
        elif match.group(1) is not None:
            yield match.start(), match.end(), "name", match.group(1)
        else:
            end = _closing(text, match.end())
            yield match.start(), end + 1, "expression", text[match.end(): end]
        position = match.end() if match.group(1) is not None or match.group() == "$$" else end + 1
    if "$" in _REFERENCE.sub("", text):
        raise ParamError(f"'{text}' holds a '$' that starts no reference",
                         "write $name or $(expression) for a parameter, or $$ for a dollar sign")


def _closing(text: str, start: int) -> int:
    depth = 1
    for index in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
    raise ParamError(f"'{text}': the '$(' is never closed", "end the expression with ')'")


@functools.lru_cache(maxsize=4096)
def _parse(expression: str) -> ast.expr:
    try:
        return ast.parse(expression.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ParamError(f"'$({expression})' is not an expression: {exc.msg}",
                         "write arithmetic on parameters, e.g. $(filters * 4)") from None


def evaluate(expression: str, scope: dict[str, Any]) -> Any:
    return _Evaluator(scope, expression).visit(_parse(expression))


class _Evaluator(ast.NodeVisitor):
    def __init__(self, scope: dict[str, Any], text: str):
        self.scope, self.text = scope, text

    def generic_visit(self, node):
        raise ParamError(f"'{self.text}': {type(node).__name__} is not allowed in a parameter expression",
                         "use arithmetic, comparisons, `a if c else b`, lists, min, max, int, round, abs")

    def visit_Constant(self, node):
        return node.value

    def visit_Name(self, node):
        if node.id in self.scope:
            return self.scope[node.id]
        if node.id in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[node.id]
        from ..schema import did_you_mean  # a late import: schema imports every layer type
        known = sorted(self.scope)
        hint = did_you_mean(node.id, known) or (f"the parameters here: {', '.join(known)}" if known else
                                                "no parameters are declared here: add it to the block's params")
        raise ParamError(f"no parameter named '{node.id}'", hint)

    def visit_List(self, node):
        return [self.visit(item) for item in node.elts]

    visit_Tuple = visit_List

    def visit_BinOp(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        try:
            if isinstance(node.op, ast.Div):
                return _divide(left, right)
            if type(node.op) in _BINARY:
                return _BINARY[type(node.op)](left, right)
        except (TypeError, ZeroDivisionError, OverflowError) as exc:
            raise ParamError(f"'{self.text}' cannot be computed: {exc}") from None
        return self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if type(node.op) not in _UNARY:
            return self.generic_visit(node)
        try:
            return _UNARY[type(node.op)](self.visit(node.operand))
        except TypeError as exc:
            raise ParamError(f"'{self.text}' cannot be computed: {exc}") from None

    def visit_BoolOp(self, node):
        """Python's: `a and b` is a when a is false, else b; `a or b` is a when a is true, else b."""
        for value in node.values[:-1]:
            result = self.visit(value)
            if bool(result) != isinstance(node.op, ast.And):
                return result
        return self.visit(node.values[-1])

    def visit_Compare(self, node):
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.visit(comparator)
            if type(op) not in _COMPARE:
                return self.generic_visit(node)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def visit_IfExp(self, node):
        return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)

    def visit_Subscript(self, node):
        items, index = self.visit(node.value), self.visit(node.slice)
        try:
            return items[index]
        except (TypeError, IndexError, KeyError) as exc:
            raise ParamError(f"'{self.text}': cannot take item {index!r} of {items!r} ({exc})") from None

    def visit_Call(self, node):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            return self.generic_visit(node)
        try:
            return FUNCTIONS[node.func.id](*(self.visit(arg) for arg in node.args))
        except (TypeError, ValueError) as exc:
            raise ParamError(f"'{self.text}' cannot be computed: {exc}") from None


def _divide(left, right):
    quotient = operator.truediv(left, right)
    whole = isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool) and left % right == 0
    return left // right if whole else quotient
