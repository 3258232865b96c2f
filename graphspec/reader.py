"""A parsed document -> a Spec, turning every pydantic error into a located diagnostic at once."""
from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from .collection import collection_paused
from .diagnostics import Code, Diagnostic, SpecError, error
from .layers import LAYERS, Layer, layer_adapter
from .keras_names import renamed
from .pydantic_errors import merge_union_errors, nested_layer, translate
from .schema import _HEAD, FORMAT_VERSION, INPUT_ADAPTER, InputSpec, InvalidLayer, Spec, closest, did_you_mean
from .source import Document
from .training.reader import read_training
from .written_alike import read_alike


def _follows(err: dict, errors: list[dict], model) -> bool:
    """A required field reported missing because it was misspelt is already told by the unknown-field error."""
    if err["type"] != "missing" or model is None:
        return False
    loc = tuple(err["loc"])
    loc = loc[1:] if loc and loc[0] in LAYERS else loc  # the union's tag, when validated through the union
    model = nested_layer(loc, model)[1]  # a nested layer's field is misspelt in that layer
    misspelt = [str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden"]
    return any((renamed(word, model) or closest(word, model.model_fields)) == err["loc"][-1] for word in misspelt)


def field_diagnostics(exc: ValidationError, path, model, document: Document) -> list[Diagnostic]:
    """One located diagnostic per bad value of a layer (or input) mapping, none for what follows from another."""
    errors = merge_union_errors(exc.errors(), model)
    return [translate(err, path, model, document) for err in errors if not _follows(err, errors, model)]


class LayerError(ValidationError, SpecError):
    """A layer built in Python with a bad field, `Dense(unitz=3)`: a SpecError whose diagnostics (and str) give what
    a spec file would get, hints included. Still a pydantic ValidationError: `errors()` gives pydantic's records."""

    def errors(self, **options):
        return self.cause.errors(**options)

    def error_count(self) -> int:
        return self.cause.error_count()

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


def layer_error(model: type[Layer], exc: ValidationError) -> LayerError:
    raised = LayerError.from_exception_data(exc.title, [])
    raised.cause, raised.graph = exc, None
    raised.diagnostics = field_diagnostics(exc, (model.__name__,), model, Document({}))
    return raised


def _salvage(raw: dict) -> InvalidLayer:
    """Keeps what wiring needs (type, name, inputs) from a layer that failed validation."""
    names = raw.get("inputs")
    valid_inputs = isinstance(names, str) or (isinstance(names, list) and all(isinstance(n, str) for n in names))
    return InvalidLayer.model_construct(
        type=raw["type"] if isinstance(raw.get("type"), str) else "?",
        name=raw["name"] if isinstance(raw.get("name"), str) else None,
        inputs=names if valid_inputs else None, trainable=True)


def _read_layer(raw: Any, index: int, document: Document, diagnostics: list, seen: dict, name: str | None) -> Layer:
    path = ("layers", index)
    if not isinstance(raw, dict):
        diagnostics.append(error(Code.INVALID_VALUE, f"a layer is a mapping like {{type: Dense, units: 10}}, "
                                 f"got {raw!r}", None, **document.where(path)))
        return InvalidLayer.model_construct(type="?", name=None, inputs=None, trainable=True)
    model = LAYERS.get(raw.get("type")) if isinstance(raw.get("type"), str) else None
    try:  # by its own model where the type is known: only the types a spec uses build their validators
        return read_alike(raw, seen, model.model_validate, name) if model else layer_adapter().validate_python(raw)
    except ValidationError as exc:
        diagnostics.extend(field_diagnostics(exc, path, model, document))
        return _salvage(raw)


def _read_version(data: dict, document: Document) -> list[Diagnostic]:
    if "graphspec" not in data:
        return [error(Code.VERSION, "the spec does not say its format version",
                      f"add `graphspec: {FORMAT_VERSION}` as the first line", **document.where(()))]
    if data["graphspec"] != FORMAT_VERSION or isinstance(data["graphspec"], bool):
        return [error(Code.VERSION, f"graphspec: {data['graphspec']!r} is not a format version this tool reads",
                      f"write `graphspec: {FORMAT_VERSION}` (or 2, for a spec with blocks)",
                      **document.where(("graphspec",)))]
    return []


def _read_head(data: dict, document: Document, diagnostics: list) -> dict:
    head = {}
    for key, value in data.items():
        if key in ("graphspec", "layers", "inputs"):
            continue
        if key == "training":
            head[key], found = read_training(value, document)
            diagnostics.extend(found)
            continue
        if key not in _HEAD:
            hint = did_you_mean(str(key), Spec.model_fields) or "a spec has: graphspec, name, inputs, layers, outputs, training"
            diagnostics.append(error(Code.UNKNOWN_FIELD, f"unknown top-level field '{key}'", hint,
                                     **document.where((key,), at_key=True)))
            continue
        try:
            head[key] = _HEAD[key].validate_python(value)
        except ValidationError as exc:
            diagnostics.extend(translate(err, (key,), None, document) for err in merge_union_errors(exc.errors(), None))
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
            diagnostics.extend(translate(err, ("inputs", name), InputSpec, document).located(
                layer=str(name), node_kind="input") for err in exc.errors())
            invalid.append(str(name))
    return valid or None, invalid


def read_spec(document: Document) -> Spec:
    """The Spec of a document; problems are kept in `spec.diagnostics`, never raised. A spec with blocks (format
    version 2) is first expanded into the flat spec it stands for (graphspec.blocks)."""
    from .blocks import read_with_blocks, uses_blocks  # late: blocks reads specs through this module
    with collection_paused():
        if uses_blocks(document.data):
            return read_with_blocks(document, _read_flat)
        return _read_flat(document)


def _read_flat(document: Document, names: list[str] | None = None) -> Spec:
    """`names`: each layer's full name, where blocks were expanded (set as the layer is read, or after)."""
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
    seen: dict = {}
    layers = [_read_layer(raw, i, document, diagnostics, seen, names[i] if names else None)
              for i, raw in enumerate(raw_layers)]
    spec = Spec.model_construct(graphspec=FORMAT_VERSION, name=head.get("name", "model"), inputs=inputs,
                                layers=layers, outputs=head.get("outputs"), training=head.get("training"))
    spec._document, spec._diagnostics, spec._invalid_inputs = document, diagnostics, invalid_inputs
    return spec
