"""One pydantic error -> one located diagnostic, worded for the person who wrote the spec."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .diagnostics import Code, Diagnostic, error
from .layers import LAYERS, Layer
from .paths import DocPath
from .keras_names import old_name_hint
from .schema import closest, did_you_mean, names_another
from .source import Document

_INPUT_HINT = "declare inputs in an `inputs:` block, or give the first layer input_shape"


@dataclass
class _Problem:
    err: dict
    path: DocPath  # the full document path of the offending value
    field: str | None
    model: type[Layer] | None
    document: Document

    @property
    def owner(self) -> str:
        return f"{getattr(self.model, 'kind_name', self.model.__name__)} " if self.model else ""

    def at(self, path: DocPath | None = None, at_key: bool = False) -> dict:
        return self.document.where(self.path if path is None else path, at_key)


def _shape_hint(path: DocPath, value: Any) -> str:
    if path and path[-1] == "input_shape":
        return f"write input_shape: [{value}] (a list, like Python's ({value},)), or input_dim: {value}"
    return f"write [{value}]: a shape is a list, like Python's ({value},)"


def _unknown_field(p: _Problem) -> Diagnostic:
    options = p.model.model_fields if p.model else ()
    hint = (old_name_hint(p.field, p.err["input"], p.model) or did_you_mean(p.field, options)
            or (f"{p.owner}takes: {', '.join(options)}" if options else None))
    if re.fullmatch(r"\s*-?\d+\s*\)?\s*", p.field or ""):  # `{kernel_size: (3, 3)}` splits at the comma
        hint = "a Python tuple inside { } is split at its commas: write a list, e.g. kernel_size: [3, 3]"
    return error(Code.UNKNOWN_FIELD, f"unknown field '{p.field}' for {p.owner or 'this mapping '}".rstrip(), hint,
                 **p.at(at_key=True))


def _missing(p: _Problem) -> Diagnostic:
    field = p.model.model_fields.get(p.field) if p.model else None
    about = field.description if field else None
    hint = f"add {p.field}: {about[0].lower()}{about[1:]}" if about else None
    return error(Code.MISSING_FIELD, f"{p.owner}needs '{p.field}'", hint, **p.at(p.path[:-1]))


def _unknown_type(p: _Problem) -> Diagnostic:
    tag = p.err["ctx"]["tag"]
    hint = (_INPUT_HINT if tag in ("Input", "InputLayer") else did_you_mean(tag, LAYERS)
            or "run `graphspec schema` to list the layer types")
    return error(Code.UNKNOWN_TYPE, f"unknown layer type '{tag}'", hint, **p.at((*p.path, "type")))


def _no_type(p: _Problem) -> Diagnostic:
    return error(Code.MISSING_FIELD, "a layer needs a 'type', e.g. type: Dense", None, **p.at())


def _bare_shape(p: _Problem) -> Diagnostic:
    number = p.err.get("ctx", {}).get("n", p.err["input"])  # "(20)" was read as 20: the hint shows [20]
    return error(Code.BARE_SHAPE, p.err["msg"], _shape_hint(p.path, number), **p.at())


def _choice_hint(p: _Problem, given: str, expected: list[str]) -> str:
    choices = f"one of: {', '.join(expected)}"
    if given.lower() == "none":
        return "for none, write null or leave the field out"
    match = closest(given, expected)
    return f"did you mean '{match}'?" if match and not names_another(given, match) else choices


def _not_allowed(p: _Problem) -> Diagnostic:
    expected = [e.strip(" '") for e in p.err["ctx"]["expected"].replace(" or ", ", ").split(", ")]
    given = str(p.err["input"])
    return error(Code.INVALID_VALUE, f"{p.field}: '{given}' is not allowed", _choice_hint(p, given, expected), **p.at())


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def unquote_hint(field: str | None, value: Any, flag: bool = False) -> str | None:
    """`units: "64"`: a number (or, for a flag, true or false) in quotes is text."""
    if not isinstance(value, str) or not (value.strip() in ("true", "false") if flag else _NUMBER.fullmatch(value)):
        return None
    return f"remove the quotes: {field}: {value.strip()}" if field and "[" not in field else \
        f"remove the quotes around {value.strip()}"


def _invalid_hint(p: _Problem) -> str | None:
    kind, value = p.err["type"], p.err["input"]
    bound = p.err.get("ctx", {}).get("le", p.err.get("ctx", {}).get("lt"))
    if kind in ("less_than_equal", "less_than") and bound == 1 and isinstance(value, (int, float)) and 1 < value <= 100:
        return f"{p.field} is a fraction: for {value:g}%, write {p.field}: {value / 100:g}"  # rate: 50 for half
    if kind in ("int_type", "float_type", "bool_type") and unquote_hint(p.field, value, kind == "bool_type"):
        return unquote_hint(p.field, value, kind == "bool_type")
    if kind == "bool_type" and isinstance(value, str):
        return "write true or false: as in JSON, yes, no, on and off are text"
    return p.err.get("ctx", {}).get("hint")  # a custom error may carry its hint


def _invalid(p: _Problem) -> Diagnostic:
    message, value = p.err["msg"], p.err["input"]
    got = "" if isinstance(value, dict) else f", got {value!r}"
    subject = f"{p.field}: " if p.field else ""
    return error(Code.INVALID_VALUE, f"{subject}{message[0].lower()}{message[1:]}{got}", _invalid_hint(p), **p.at())


# What a value must be, by the label pydantic gives each member of a union (`int | tuple[int, ...]`, say).
_MEMBERS = {"int": ("a whole number", "3"), "tuple[int, ...]": ("a list of whole numbers", "[3, 3]"),
            "list[int]": ("a list of whole numbers", "[1, 2]"), "str": ("a name", "conv1"),
            "list[str]": ("a list of names", "[a, b]")}


def merge_union_errors(errors: list[dict], model: type[Layer] | None) -> list[dict]:
    """One error per value. A value that fits no member of a union gets one error per member from pydantic, its loc
    naming the member after the field (layer fields are flat): those become one error naming every member, unless
    one member got further (a list with a bad item), whose error alone is kept, at the item."""
    merged, by_field = [], {}
    for err in errors:
        loc = tuple(err["loc"])
        start = 1 if model and loc and loc[0] in LAYERS else 0
        labels = [i for i in range(start, len(loc)) if isinstance(loc[i], str) and loc[i] in _MEMBERS]
        if not labels:
            merged.append(err)
            continue
        field_loc, member, rest = loc[: labels[0]], loc[labels[0]], loc[labels[0] + 1:]
        entry = by_field.setdefault(field_loc, {"members": [], "deeper": None, "err": err})
        entry["members"].append(member)
        if rest and entry["deeper"] is None:
            entry["deeper"] = {**err, "loc": (*field_loc, *rest)}
    for field_loc, entry in by_field.items():
        if entry["deeper"] is not None:
            merged.append(entry["deeper"])
            continue
        kinds = [_MEMBERS[m] for m in entry["members"]]
        message = f"should be {' or '.join(k[0] for k in kinds)}"
        hint = f"e.g. {' or '.join(k[1] for k in kinds)}"
        if str(entry["err"]["input"]).lower() == "none":
            hint = "for none, write null or leave the field out"
        hint = unquote_hint(str(field_loc[-1]) if field_loc else None, entry["err"]["input"]) or hint
        merged.append({"type": "union_member", "loc": field_loc, "msg": message, "input": entry["err"]["input"],
                       "hint": hint})
    return merged


def _union_member(p: _Problem) -> Diagnostic:
    field = p.field or (p.path[-1] if p.path else "the value")  # a top-level field is validated on its own
    return error(Code.INVALID_VALUE, f"{field}: {p.err['input']!r} {p.err['msg']}", p.err["hint"], **p.at())


_BY_TYPE = {"extra_forbidden": _unknown_field, "missing": _missing, "union_tag_invalid": _unknown_type,
            "union_tag_not_found": _no_type, "bare_shape": _bare_shape, "literal_error": _not_allowed,
            "union_member": _union_member}


def _field_name(loc: tuple) -> str | None:
    """'kernel_size' for a field, 'kernel_size[0]' for an item of a list field."""
    if not loc:
        return None
    return f"{loc[-2]}[{loc[-1]}]" if isinstance(loc[-1], int) and len(loc) > 1 else str(loc[-1])


def translate(err: dict, path: DocPath, model: type[Layer] | None, document: Document) -> Diagnostic:
    """`path` is where the error's loc starts in the document; `model` the layer type being validated, if any."""
    loc = tuple(err["loc"])
    if model and loc and loc[0] in LAYERS:
        loc = loc[1:]  # the discriminated union puts the tag first
    problem = _Problem(err, (*path, *loc), _field_name(loc), model, document)
    return _BY_TYPE.get(err["type"], _invalid)(problem)
