"""One pydantic error -> one located diagnostic, worded for the person who wrote the spec."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .diagnostics import Code, Diagnostic, error
from .layers import LAYERS, Layer
from .paths import DocPath
from .forms import forms, is_label, shown
from .keras_names import old_name_hint, old_type_hint
from .layers.base import Forms
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


def _lower_first(text: str) -> str:
    """pydantic's "Input should be..." after a field name; a name (Keras, Conv2D) keeps its capital."""
    first = text.split(" ", 1)[0]
    return text if first.startswith("Keras") or any(c.isupper() for c in first[1:]) else text[0].lower() + text[1:]


def _missing(p: _Problem) -> Diagnostic:
    field = p.model.model_fields.get(p.field) if p.model else None
    about = field.description if field else None
    hint = f"add {p.field}: {_lower_first(about)}" if about else None
    return error(Code.MISSING_FIELD, f"{p.owner}needs '{p.field}'", hint, **p.at(p.path[:-1]))


def _unknown_type(p: _Problem) -> Diagnostic:
    tag = p.err["ctx"]["tag"]
    hint = (_INPUT_HINT if tag in ("Input", "InputLayer") else old_type_hint(tag, p.err["input"], LAYERS)
            or did_you_mean(tag, LAYERS) or "run `graphspec schema` to list the layer types")
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
    value, ctx = p.err["input"], p.err["ctx"]
    if not isinstance(value, str):  # `data_format: false`: a boolean (or number) is not one of the names
        names = ", ".join(expected) if len(expected) <= 8 else f"the {len(expected)} names it takes"
        hint = ctx.get("hint") or f"write one of them, or leave {p.field} out for its default"
        return error(Code.INVALID_VALUE, f"{p.field}: {shown(value)} is not one of: {names}", hint, **p.at())
    hint = _other_kind_hint(p, value) or ctx.get("hint") or _choice_hint(p, value, expected)
    return error(Code.INVALID_VALUE, f"{p.field}: '{value}' is not allowed", hint, **p.at())


def _other_kind_hint(p: _Problem, value: str) -> str | None:
    """`kernel_initializer: l2`: the name is a regularizer's, so it belongs in kernel_regularizer."""
    kind, belongs = p.err["ctx"].get("kind"), p.err["ctx"].get("belongs")
    option = next((str(part) for part in reversed(p.path) if str(part).endswith(f"_{kind}")), None)
    if not belongs or option is None:
        return None
    return f"'{value}' is a Keras {belongs}: put it in {option.removesuffix(kind)}{belongs}"


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def unquote_hint(field: str | None, value: Any, flag: bool = False) -> str | None:
    """`units: "64"`: a number (or, for a flag, true or false) in quotes is text."""
    if not isinstance(value, str) or not (value.strip() in ("true", "false") if flag else _NUMBER.fullmatch(value)):
        return None
    return f"remove the quotes: {field}: {value.strip()}" if field and "[" not in field else \
        f"remove the quotes around {value.strip()}"


_FRACTION = re.compile(r"\s*([-+]?\d+\.?\d*)\s*/\s*(\d+\.?\d*)\s*")


def fraction_hint(value: Any) -> str | None:
    """`scale: 1/255` is the text '1/255' in YAML."""
    match = _FRACTION.fullmatch(value) if isinstance(value, str) else None
    if not match or float(match[2]) == 0:
        return None
    return f"YAML does not compute {value.strip()}: write {float(match[1]) / float(match[2])!r}"


def _invalid_hint(p: _Problem) -> str | None:
    kind, value = p.err["type"], p.err["input"]
    bound = p.err.get("ctx", {}).get("le", p.err.get("ctx", {}).get("lt"))
    if kind in ("less_than_equal", "less_than") and bound == 1 and isinstance(value, (int, float)) and 1 < value <= 100:
        return f"{p.field} is a fraction: for {value:g}%, write {p.field}: {value / 100:g}"  # rate: 50 for half
    if kind in ("int_type", "float_type", "bool_type") and unquote_hint(p.field, value, kind == "bool_type"):
        return unquote_hint(p.field, value, kind == "bool_type")
    if kind == "int_type" and isinstance(value, float) and value.is_integer():
        return f"write {int(value)}: a whole number, without the decimal point"
    if kind == "float_type" and fraction_hint(value):
        return fraction_hint(value)
    if kind == "bool_type" and isinstance(value, str):
        return "write true or false: as in JSON, yes, no, on and off are text"
    if kind == "model_attributes_type" and p.field in getattr(p.model, "nested_fields", ()):
        example = value if isinstance(value, str) and value in LAYERS else "LSTM"
        return f"a nested layer is a mapping with its type and fields: {p.field}: {{type: {example}, ...}}"
    return p.err.get("ctx", {}).get("hint")  # a custom error may carry its hint


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# pydantic's wording where it names its own types (a YAML list is a tuple to it) or counts "after validation".
_REWORDED = {"tuple_type": lambda ctx: "should be a list", "list_type": lambda ctx: "should be a list",
             "too_short": lambda ctx: f"should have at least {_plural(ctx['min_length'], 'item')}",
             "too_long": lambda ctx: f"should have at most {_plural(ctx['max_length'], 'item')}"}


def _invalid(p: _Problem) -> Diagnostic:
    """A custom error whose message already states the value opts out of ", got ..." with `stated` in its ctx."""
    value, ctx = p.err["input"], p.err.get("ctx") or {}
    message = _REWORDED[p.err["type"]](ctx) if p.err["type"] in _REWORDED else p.err["msg"]
    got = "" if isinstance(value, dict) or ctx.get("stated") else f", got {shown(value)}"
    subject = f"{p.field}: " if p.field else ""
    return error(Code.INVALID_VALUE, f"{subject}{_lower_first(message)}{got}", _invalid_hint(p), **p.at())


def _field_forms(model: type[Layer] | None, field_loc: tuple) -> str | None:
    """The words a field states for its forms (Forms metadata), if it is a layer's own field."""
    info = model.model_fields.get(field_loc[0]) if model and len(field_loc) == 1 else None
    return next((m for m in info.metadata if isinstance(m, Forms)), None) if info else None


def _union_hint(field: str | None, value: Any, example: str | None) -> str | None:
    if str(value).lower() == "none":
        return "for none, write null or leave the field out"
    return unquote_hint(field, value) or fraction_hint(value) or example


def _drop_short_after_items(errors: list[dict]) -> list[dict]:
    """pydantic counts a list's items after dropping the bad ones: `dims: [2.0, 1.0]` is also 'too short'."""
    locs = [tuple(e["loc"]) for e in errors]
    return [e for e in errors if e["type"] != "too_short" or not any(
        len(loc) > len(e["loc"]) and loc[: len(e["loc"])] == tuple(e["loc"]) for loc in locs)]


def _got_further(members: dict[str, list[dict]], depth: int) -> list[dict] | None:
    """The errors of the member a value got into, its items' own faults (`[3, 3.0]`: the 3.0), if one did."""
    for errs in members.values():
        if all(len(e["loc"]) > depth and not isinstance(e["input"], (list, tuple, dict)) for e in errs):
            return errs
    return None


def merge_union_errors(errors: list[dict], model: type[Layer] | None) -> list[dict]:
    """One error per value. A value that fits no member of a union gets one error per member from pydantic, its loc
    naming the member (by a label such as `tuple[int, int]`) after the field: those become one error naming every
    member's form, read from the labels, unless one member got further (a list with a bad item), whose errors
    alone are kept, at the items."""
    merged, groups = [], {}
    for err in _drop_short_after_items(errors):
        loc = tuple(err["loc"])
        start = 1 if model and loc and loc[0] in LAYERS else 0
        at = next((i for i in range(start, len(loc)) if is_label(loc[i])), None)
        if at is None:
            merged.append(err)
            continue
        group = groups.setdefault(loc[:at], {"start": start, "input": err["input"], "members": {}})
        group["members"].setdefault(loc[at], []).append({**err, "loc": (*loc[:at], *loc[at + 1:])})
    for field_loc, group in groups.items():
        deeper = _got_further(group["members"], len(field_loc))
        if deeper is not None:
            merged.extend(merge_union_errors(deeper, model))
            continue
        words, example = forms(list(group["members"]))
        own = field_loc[group["start"]:]
        field = str(own[-1]) if own and isinstance(own[-1], str) else None
        merged.append({"type": "union_member", "loc": field_loc, "msg": _field_forms(model, own) or words,
                       "input": group["input"], "hint": _union_hint(field, group["input"], example)})
    return merged


def _union_member(p: _Problem) -> Diagnostic:
    field = p.field or (p.path[-1] if p.path else "the value")  # a top-level field is validated on its own
    return error(Code.INVALID_VALUE, f"{field}: {p.err['msg']}, got {shown(p.err['input'])}", p.err["hint"], **p.at())


_BY_TYPE = {"extra_forbidden": _unknown_field, "missing": _missing, "union_tag_invalid": _unknown_type,
            "union_tag_not_found": _no_type, "bare_shape": _bare_shape, "literal_error": _not_allowed,
            "union_member": _union_member}


def _field_name(loc: tuple) -> str | None:
    """'kernel_size' for a field, 'kernel_size[0]' for an item of a list field."""
    if not loc:
        return None
    return f"{loc[-2]}[{loc[-1]}]" if isinstance(loc[-1], int) and len(loc) > 1 else str(loc[-1])


def nested_layer(loc: tuple, model: type[Layer] | None) -> tuple[tuple, type[Layer] | None]:
    """A loc inside a wrapper's nested layer (`layer.LSTM.unitz`): the document's path to it, without the tag the
    nested union puts after the field (`layer.unitz`), and the nested layer's type, which the hints are about."""
    path = []
    for part in loc:
        if path and model is not None and path[-1] in getattr(model, "nested_fields", ()) and part in LAYERS:
            model = LAYERS[part]
        else:
            path.append(part)
    return tuple(path), model


def translate(err: dict, path: DocPath, model: type[Layer] | None, document: Document) -> Diagnostic:
    """`path` is where the error's loc starts in the document; `model` the layer type being validated, if any."""
    loc = tuple(err["loc"])
    if model and loc and loc[0] in LAYERS:
        loc = loc[1:]  # the discriminated union puts the tag first
    loc, model = nested_layer(loc, model)
    problem = _Problem(err, (*path, *loc), _field_name(loc), model, document)
    return _BY_TYPE.get(err["type"], _invalid)(problem)
