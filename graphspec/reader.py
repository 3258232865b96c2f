"""A parsed document -> a Spec, turning every pydantic error into a located diagnostic at once."""
from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .diagnostics import Code, Diagnostic, error
from .layers import LAYERS, Layer, layer_adapter
from .schema import _HEAD, FORMAT_VERSION, INPUT_ADAPTER, InvalidLayer, Spec, closest, did_you_mean
from .paths import DocPath
from .source import Document

_INPUT_HINTS = {
    "Input": "declare inputs in an `inputs:` block, or give the first layer input_shape",
    "InputLayer": "declare inputs in an `inputs:` block, or give the first layer input_shape",
}


def _shape_hint(path: DocPath, value: Any) -> str:
    if path and path[-1] == "input_shape":
        return f"write input_shape: [{value}] (a list, like Python's ({value},)), or input_dim: {value}"
    return f"write [{value}]: a shape is a list, like Python's ({value},)"


def _translate(err: dict, path: DocPath, model: type[Layer] | None, document: Document) -> Diagnostic:
    """One pydantic error -> one diagnostic; `path` is where the error's loc starts in the document."""
    kind, loc = err["type"], tuple(err["loc"])
    if model and loc and loc[0] in LAYERS:
        loc = loc[1:]  # the discriminated union puts the tag first
    full = (*path, *loc)
    field = str(loc[-1]) if loc else None
    owner = f"{model.__name__} " if model else ""
    if kind == "extra_forbidden":
        options = model.model_fields if model else ()
        hint = did_you_mean(field, options) or (f"{owner}takes: {', '.join(options)}" if options else None)
        return error(Code.UNKNOWN_FIELD, f"unknown field '{field}' for {owner or 'this mapping '}".rstrip(), hint,
                     **document.where(full, at_key=True))
    if kind == "missing":
        return error(Code.MISSING_FIELD, f"{owner}needs '{field}'", None, **document.where(full[:-1]))
    if kind == "union_tag_invalid":
        tag = err["ctx"]["tag"]
        hint = _INPUT_HINTS.get(tag) or did_you_mean(tag, LAYERS) or "run `graphspec schema` to list the layer types"
        return error(Code.UNKNOWN_TYPE, f"unknown layer type '{tag}'", hint, **document.where((*full, "type")))
    if kind == "union_tag_not_found":
        return error(Code.MISSING_FIELD, "a layer needs a 'type', e.g. type: Dense", None, **document.where(full))
    if kind == "bare_shape":
        return error(Code.BARE_SHAPE, err["msg"], _shape_hint(full, err["input"]), **document.where(full))
    if kind == "literal_error":
        expected = [e.strip(" '") for e in err["ctx"]["expected"].replace(" or ", ", ").split(", ")]
        hint = ("for none, write null or leave the field out" if str(err["input"]).lower() == "none"
                else did_you_mean(str(err["input"]), expected) or f"one of: {', '.join(expected)}")
        return error(Code.INVALID_VALUE, f"{field}: '{err['input']}' is not allowed", hint, **document.where(full))
    got = "" if isinstance(err["input"], dict) else f", got {err['input']!r}"
    subject = f"{field}: " if field else ""
    return error(Code.INVALID_VALUE, f"{subject}{err['msg'][0].lower()}{err['msg'][1:]}{got}", None, **document.where(full))


def _follows(err: dict, errors: list[dict], model) -> bool:
    """A required field reported missing because it was misspelt is already told by the unknown-field error."""
    if err["type"] != "missing" or model is None:
        return False
    misspelt = [str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden"]
    return any(closest(word, model.model_fields) == err["loc"][-1] for word in misspelt)


def _salvage(raw: dict) -> InvalidLayer:
    """Keeps what wiring needs (type, name, inputs) from a layer that failed validation."""
    names = raw.get("inputs")
    valid_inputs = isinstance(names, str) or (isinstance(names, list) and all(isinstance(n, str) for n in names))
    return InvalidLayer.model_construct(
        type=raw["type"] if isinstance(raw.get("type"), str) else "?",
        name=raw["name"] if isinstance(raw.get("name"), str) else None,
        inputs=names if valid_inputs else None, trainable=True)


def _read_layer(raw: Any, index: int, document: Document, diagnostics: list) -> Layer:
    path = ("layers", index)
    if not isinstance(raw, dict):
        diagnostics.append(error(Code.INVALID_VALUE, f"a layer is a mapping like {{type: Dense, units: 10}}, "
                                 f"got {raw!r}", None, **document.where(path)))
        return InvalidLayer.model_construct(type="?", name=None, inputs=None, trainable=True)
    try:
        return layer_adapter().validate_python(raw)
    except ValidationError as exc:
        model = LAYERS.get(raw.get("type")) if isinstance(raw.get("type"), str) else None
        errors = exc.errors()
        diagnostics.extend(_translate(err, path, model, document) for err in errors if not _follows(err, errors, model))
        return _salvage(raw)


def _read_version(data: dict, document: Document) -> list[Diagnostic]:
    if "graphspec" not in data:
        return [error(Code.VERSION, "the spec does not say its format version",
                      f"add `graphspec: {FORMAT_VERSION}` as the first line", **document.where(()))]
    if data["graphspec"] != FORMAT_VERSION or isinstance(data["graphspec"], bool):
        return [error(Code.VERSION, f"graphspec: {data['graphspec']!r} is not a format version this tool reads",
                      f"write `graphspec: {FORMAT_VERSION}`", **document.where(("graphspec",)))]
    return []


def _read_head(data: dict, document: Document, diagnostics: list) -> dict:
    head = {}
    for key, value in data.items():
        if key in ("graphspec", "layers", "inputs"):
            continue
        if key not in _HEAD:
            hint = did_you_mean(str(key), Spec.model_fields) or "a spec has: graphspec, name, inputs, layers, outputs"
            diagnostics.append(error(Code.UNKNOWN_FIELD, f"unknown top-level field '{key}'", hint,
                                     **document.where((key,), at_key=True)))
            continue
        try:
            head[key] = _HEAD[key].validate_python(value)
        except ValidationError as exc:
            diagnostics.extend(_translate(err, (key,), None, document) for err in exc.errors())
    return head


def _read_inputs(data: dict, document: Document, diagnostics: list) -> tuple[dict | None, list[str]]:
    """Each input on its own, so one bad declaration does not hide the others."""
    declared = data.get("inputs")
    if declared is None:
        return None, []
    if not isinstance(declared, dict) or not declared:
        diagnostics.append(error(Code.INVALID_VALUE, "inputs: is a mapping from input name to {shape, dtype}",
                                 "e.g. inputs: {image: {shape: [28, 28, 1]}}", **document.where(("inputs",))))
        return None, []
    valid, invalid = {}, []
    for name, value in declared.items():
        try:
            valid[str(name)] = INPUT_ADAPTER.validate_python(value)
        except ValidationError as exc:
            diagnostics.extend(_translate(err, ("inputs", name), None, document) for err in exc.errors())
            invalid.append(str(name))
    return valid or None, invalid


def read_spec(document: Document) -> Spec:
    """The Spec of a document; problems are kept in `spec.diagnostics`, never raised."""
    data = document.data
    diagnostics = _read_version(data, document)
    head = _read_head(data, document, diagnostics)
    inputs, invalid_inputs = _read_inputs(data, document, diagnostics)
    raw_layers = data.get("layers")
    if not isinstance(raw_layers, list) or not raw_layers:
        diagnostics.append(error(Code.MISSING_FIELD, "the spec needs a non-empty `layers:` list",
                                 "e.g. layers: [{type: Dense, units: 10, input_shape: [4]}]",
                                 **document.where(("layers",) if "layers" in data else ())))
        raw_layers = []
    layers = [_read_layer(raw, i, document, diagnostics) for i, raw in enumerate(raw_layers)]
    spec = Spec.model_construct(graphspec=FORMAT_VERSION, name=head.get("name", "model"), inputs=inputs,
                                layers=layers, outputs=head.get("outputs"))
    spec._document, spec._diagnostics, spec._invalid_inputs = document, diagnostics, invalid_inputs
    return spec
