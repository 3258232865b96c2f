"""Parameter substitution in a block's fields: `$name`, `$(expression)`, and `$$` for a dollar sign.

A value that is one reference (`filters: $filters`, `strides: $(2 if i == 1 else 1)`) takes the parameter's own
type, so a number stays a number and a list a list; a reference inside longer text (`name: conv$i`) is written
into it. Expressions are Python's arithmetic on numbers, comparisons, `and`/`or`/`not`, `a if c else b`, a list
and its index, and min, max, int, round and abs: the syntax tree is checked to hold nothing else (no
attribute, no other call, no builtins) before it is compiled. A division that
comes out whole is a whole number (`$(filters / 2)` is 32, not 32.0), since layer sizes must be whole numbers.
"""
from __future__ import annotations

import ast
import functools
import operator
import re
from typing import Any

_REFERENCE = re.compile(r"\$\$|\$\(|\$([A-Za-z_][A-Za-z0-9_]*)")
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
    for start, end, kind, body in _parsed(text):
        pieces.append(text[position:start])
        if kind == "dollar":
            pieces.append(("$",))
        else:  # a bare name is looked up without eval: most references are one
            pieces.append((scope[body],) if kind == "name" and body in scope else (evaluate(body, scope),))
        position = end
    pieces.append(text[position:])
    parts = [piece for piece in pieces if piece != ""]
    if len(parts) == 1 and isinstance(parts[0], tuple):
        return parts[0][0]  # the whole value is one reference: it keeps the parameter's type
    return "".join(piece if isinstance(piece, str) else _as_text(piece[0]) for piece in parts)


def _as_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


@functools.lru_cache(maxsize=8192)
def _parsed(text: str) -> tuple:
    """A block's text is substituted at each of its uses: it is parsed once."""
    return tuple(_references(text))


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
def _compiled(expression: str):
    """The expression checked to hold only what is allowed, its divisions made whole where they come out whole,
    compiled once: evaluating it is then one call, however often a block is used."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ParamError(f"'$({expression})' is not an expression: {exc.msg}",
                         "write arithmetic on parameters, e.g. $(filters * 4)") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED) or (isinstance(node, ast.Call) and not _allowed_call(node)):
            raise ParamError(f"'{expression}': {type(node).__name__} is not allowed in a parameter expression",
                             "use arithmetic, comparisons, `a if c else b`, lists, min, max, int, round, abs")
    tree = ast.fix_missing_locations(_WholeDivision().visit(tree))
    return compile(tree, "<parameter expression>", "eval")


def _allowed_call(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS and not node.keywords


class _WholeDivision(ast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        helper = {ast.Div: "__divide__", ast.Pow: "__power__", ast.Mult: "__multiply__"}.get(type(node.op))
        return ast.Call(ast.Name(helper, ast.Load()), [node.left, node.right], []) if helper else node


_ALLOWED = (ast.Expression, ast.Constant, ast.Name, ast.Load, ast.List, ast.Tuple, ast.BinOp, ast.UnaryOp,
            ast.BoolOp, ast.Compare, ast.IfExp, ast.Subscript, ast.Call, ast.operator, ast.unaryop, ast.boolop,
            ast.cmpop)
_GLOBALS = {"__builtins__": {}, "__divide__": lambda a, b: _divide(a, b), "__power__": lambda a, b: _power(a, b),
            "__multiply__": lambda a, b: _multiply(a, b), **FUNCTIONS,
            "true": True, "false": False, "null": None}


def evaluate(expression: str, scope: dict[str, Any]) -> Any:
    code = _compiled(expression)
    try:
        return eval(code, _GLOBALS, scope)  # noqa: S307 - only the checked syntax above, no builtins
    except NameError as exc:
        raise _unknown(exc.name, scope) from None
    except (TypeError, ValueError, ArithmeticError, IndexError, KeyError) as exc:
        raise ParamError(f"'{expression}' cannot be computed: {exc}") from None


def _unknown(name: str, scope: dict[str, Any]) -> ParamError:
    from ..schema import did_you_mean  # a late import: schema imports every layer type
    known = sorted(scope)
    hint = did_you_mean(name, known) or (f"the parameters here: {', '.join(known)}" if known else
                                         "no parameters are declared here: add it to the block's params")
    return ParamError(f"no parameter named '{name}'", hint)


def _divide(left, right):
    quotient = operator.truediv(left, right)
    whole = isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool) and left % right == 0
    return left // right if whole else quotient


LIMIT = 10 ** 6  # an exponent, or a list or text repeated, beyond any layer's need: a slip, refused before it runs


def _power(base, exponent):
    if isinstance(exponent, (int, float)) and abs(exponent) > 64 and abs(base) > 1:
        raise ValueError(f"{base} ** {exponent} is beyond any size a layer takes")
    return base ** exponent


def _multiply(left, right):
    sequence, count = (left, right) if isinstance(left, (list, str)) else (right, left)
    if isinstance(sequence, (list, str)) and isinstance(count, int) and len(sequence) * count > LIMIT:
        raise ValueError(f"a list or text repeated {count} times is beyond any size a layer takes")
    return left * right
