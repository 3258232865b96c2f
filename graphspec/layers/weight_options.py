"""Keras's per-weight options: `<prefix>_initializer`, `<prefix>_regularizer` and `<prefix>_constraint`.

A layer type takes them by inheriting the mixin of each of its weights, e.g. `class Dense(Layer,
weight_options("kernel", "glorot_uniform"), weight_options("bias", "zeros"))`, so the fields carry Keras's
names and defaults. Each value is a Keras name (`he_normal`) or Keras's serialised `{class_name, config}` form
(with `module` and `registered_name`, as `keras.saving.serialize_keras_object` writes it). Names and config
arguments are checked against what Keras 3.15 accepts (keras_objects.py). The checker only validates them; a
backend draws initial weights from `Layer.initializer_for(weight)`, and training reads the regularisers and constraints.
"""

import re
from functools import cache
from typing import Annotated, Any

import numpy as np
from pydantic import (BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, StrictStr, ValidationError,
                      ValidationInfo, WithJsonSchema, create_model)
from pydantic_core import PydanticCustomError

from ..types import broadcasts_to
from .keras_objects import CLASSES, REFUSED, Config, names


class KerasObject(BaseModel):
    """Keras's serialised form of an initialiser, regulariser or constraint (`keras.saving.serialize_keras_object`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    class_name: StrictStr
    config: dict[str, Any] = Field(default_factory=dict)
    module: StrictStr | None = None
    registered_name: StrictStr | None = None


EXAMPLE = {"initializer": "he_normal", "regularizer": "l2", "constraint": "max_norm"}
_HINT = {"initializer": "e.g. he_normal, or {class_name: HeNormal, config: {seed: 1}}",
         "regularizer": "e.g. l2, or {class_name: L2, config: {l2: 0.001}}",
         "constraint": "e.g. max_norm, or {class_name: MaxNorm, config: {max_value: 3}}"}


def _did_you_mean(word: str, options) -> str | None:
    from ..schema import did_you_mean  # schema imports the layers

    return did_you_mean(word, options)


def _fail(loc: tuple, input_value: Any, error: PydanticCustomError) -> ValidationError:
    """An error at `loc` inside the value; pydantic puts the field's own location in front."""
    return ValidationError.from_exception_data("KerasObject", [{"type": error, "loc": loc, "input": input_value}])


_CALL = re.compile(r"\s*(\w+)\s*\((.*)\)\s*")


def _call_hint(kind: str, text: str) -> str | None:
    """`l2(0.01)`, as Python code calls it: Keras's saved form {class_name: L2, config: {l2: 0.01}}."""
    call = _CALL.fullmatch(text)
    folded = {name.replace("_", "").lower(): cls for name, cls in names(kind).items()}
    cls = folded.get(call[1].replace("_", "").lower()) if call else None
    if cls is None:
        return None
    fields = CLASSES[kind][cls].model_fields
    order = [f for f in fields if f != "seed"] + [f for f in fields if f == "seed"]  # Keras takes seed last
    args = [part.partition("=")[::2] if "=" in part else (order[i] if i < len(order) else "?", part)
            for i, part in enumerate(p for p in call[2].split(",") if p.strip())]
    config = ", ".join(f"{key.strip()}: {value.strip()}" for key, value in args)
    return f"a spec holds Keras's saved form, not a call: write {{class_name: {cls}" + \
        (f", config: {{{config}}}}}" if config else "}")


def _unknown(kind: str, name: str) -> PydanticCustomError:
    """Worded as a Literal's error, so it gets the same diagnostic: the name is not allowed, did you mean ...;
    `belongs` names the kind that has the name (`l2` given as an initializer is a regularizer)."""
    expected = ", ".join(f"'{name}'" for name in names(kind))
    belongs = next((other for other in CLASSES if other != kind and name in names(other)), None)
    ctx = {"expected": expected, "kind": kind, "belongs": belongs}
    hint = _call_hint(kind, name) if isinstance(name, str) else None
    return PydanticCustomError("literal_error", "Input should be {expected}", ctx | ({"hint": hint} if hint else {}))


def _class(kind: str, name: str, loc: tuple) -> str:
    if name in REFUSED.get(kind, {}):
        raise _fail(loc, name, PydanticCustomError("keras_refused", "graphspec does not draw {name}: {why}",
                                                   {"name": name, "why": REFUSED[kind][name],
                                                    "hint": f"use another Keras {kind}, e.g. {EXAMPLE[kind]}"}))
    if name not in names(kind):
        raise _fail(loc, name, _unknown(kind, name)) if loc else _unknown(kind, name)
    return names(kind)[name]


def _config(cls: str, model: type[Config], config: Any, field: str | None) -> dict:
    try:
        validated = model.model_validate(config)
    except ValidationError as exc:
        takes = ", ".join(model.model_fields) or "no arguments"
        errors = []
        for err in exc.errors():
            if err["type"] == "extra_forbidden":
                arg = str(err["loc"][-1])
                hint = _did_you_mean(arg, model.model_fields) or f"{cls} takes {takes}"
                err = {"type": PydanticCustomError("unknown_argument", "not an argument of {cls}",
                                                   {"cls": cls, "hint": hint}), "loc": err["loc"], "input": config}
            else:  # the same error again (its type, message and context), now inside the field
                err = {**err, "type": PydanticCustomError(err["type"], "{message}",
                                                          {**err.get("ctx", {}), "message": err["msg"]})}
            errors.append({"type": err["type"], "loc": ("config", *err["loc"]), "input": err["input"]})
        raise ValidationError.from_exception_data("KerasObject", errors) from None
    problem = validated.problem()
    if problem:
        arg, rule, hint = problem
        given = config[arg] if isinstance(config, dict) and arg in config else getattr(validated, arg)
        raise _fail(("config", arg), given, PydanticCustomError(
            "cannot_draw", "{rule} for {owner}", {"rule": rule, "owner": f"{field} {cls}" if field else cls,
                                                  "hint": hint}))
    return validated.model_dump(exclude_unset=True)


def _check(kind: str):
    module = f"keras.{kind}s"

    def check(value: Any, info: ValidationInfo) -> str | KerasObject:
        if isinstance(value, str):
            _class(kind, value, ())
            return value
        if isinstance(value, KerasObject):
            value = value.model_dump(exclude_none=True)
        if not isinstance(value, dict) or "class_name" not in value:
            raise PydanticCustomError("keras_object", "should be a Keras {kind} name or a {form}",
                                      {"kind": kind, "form": "mapping with class_name and config", "hint": _HINT[kind]})
        for key in value:
            if key not in KerasObject.model_fields:
                raise _fail((key,), value[key], PydanticCustomError(
                    "keras_object_key", "not a key of a Keras {kind}", {"kind": kind, "hint": _did_you_mean(
                        str(key), KerasObject.model_fields) or "it has class_name, config, module, registered_name"}))
        obj = KerasObject.model_validate(value)
        cls = _class(kind, obj.class_name, ("class_name",))
        if obj.module not in (None, module):
            raise _fail(("module",), obj.module, PydanticCustomError(
                "keras_module", "the module of {cls} is {module}", {"cls": cls, "module": module,
                                                                      "hint": f"write {module}, or leave module out"}))
        if obj.registered_name not in (None, obj.class_name):
            raise _fail(("registered_name",), obj.registered_name, PydanticCustomError(
                "custom_object", "graphspec knows Keras's own {kind}s, not registered custom objects",
                {"kind": kind, "hint": "leave registered_name out (or null) for Keras's own classes"}))
        config = _config(cls, CLASSES[kind][cls], obj.config, info.field_name)
        return obj.model_copy(update={"config": config})
    return check


def _option(kind: str):
    schema = {"anyOf": [{"type": "string", "enum": sorted(names(kind), key=lambda name: name[0].isupper())}, {
        "type": "object", "required": ["class_name"], "additionalProperties": False,
        "properties": {"class_name": {"type": "string"}, "config": {"type": "object"},
                       "module": {"type": ["string", "null"]}, "registered_name": {"type": ["string", "null"]}}}]}
    return Annotated[StrictStr | KerasObject, PlainValidator(_check(kind)), PlainSerializer(_as_keras_saves_it),
                     WithJsonSchema(schema)]


def _as_keras_saves_it(option: str | KerasObject) -> str | dict:
    """module and registered_name only when given: Keras reads a null module as a custom object's."""
    return option if isinstance(option, str) else option.model_dump(exclude_none=True)


InitializerOption = _option("initializer")
RegularizerOption = _option("regularizer")
ConstraintOption = _option("constraint")


@cache
def weight_options(prefix: str, initializer: str, weight: str | None = None) -> type[BaseModel]:
    """The mixin holding one weight's three options, `initializer` being Keras's default for it; `weight` names the
    weight where it is not the prefix (recurrent_* is for recurrent_kernel)."""
    weight = weight or prefix
    fields = {
        f"{prefix}_initializer": (InitializerOption, Field(initializer, description=f"Initial values of {weight} (a Keras initializer).")),
        f"{prefix}_regularizer": (RegularizerOption | None, Field(None, description=f"Penalty on {weight} while training.")),
        f"{prefix}_constraint": (ConstraintOption | None, Field(None, description=f"Projection of {weight} after each update.")),
    }
    return create_model(f"{prefix.title().replace('_', '')}Options", __base__=BaseModel, **fields)


def resolve(option: str | KerasObject, kind: str = "initializer") -> tuple[str, Config]:
    """(Keras class name, its full config with Keras's defaults) of a validated option."""
    if isinstance(option, str):
        return _resolve_name(option, kind)
    cls = names(kind)[option.class_name]
    return cls, CLASSES[kind][cls].model_validate(option.config)


@cache
def _resolve_name(name: str, kind: str) -> tuple[str, Config]:
    """A named option's defaults, validated once: a 10,000-layer spec names a handful of initializers."""
    cls = names(kind)[name]
    return cls, CLASSES[kind][cls].model_validate({})


def _axes_problem(cls: str, arg: str, axes, shape: tuple[int, ...]) -> tuple[str, str] | None:
    wrong = [axis for axis in ([axes] if isinstance(axes, int) else axes or ()) if not -len(shape) <= axis < len(shape)]
    if not wrong:
        return None
    return (f"{cls}'s {arg} {wrong[0]} is not an axis of this weight, {shape}",
            f"its axes are 0 to {len(shape) - 1} (or -{len(shape)} to -1 from the end)")


def initializer_problem(option: str | KerasObject, shape: tuple[int, ...]) -> tuple[str, str] | None:
    """(why, hint) where Keras cannot draw a weight of this shape with this initializer (it raises while building);
    None if it can. An axis out of range is refused even where Keras ignores it (input_axes without output_axes)."""
    if isinstance(option, str):
        return _named_initializer_problem(option, tuple(shape))
    return _initializer_problem(option, shape)


@cache
def _named_initializer_problem(option: str, shape: tuple[int, ...]) -> tuple[str, str] | None:
    """A big spec asks about a few (initializer, shape) pairs thousands of times."""
    return _initializer_problem(option, shape)


def _initializer_problem(option: str | KerasObject, shape: tuple[int, ...]) -> tuple[str, str] | None:
    cls, config = resolve(option)
    hint = "choose an initializer that draws this shape (identity: 2D only; orthogonal: 2D or more)"
    if cls == "Identity" and len(shape) != 2:
        return f"Identity draws 2D matrices only, and this weight is {shape}", hint
    if cls == "Orthogonal" and len(shape) < 2:
        return f"Orthogonal needs a weight of at least two axes, and this one is {shape}", hint
    if cls == "Constant" and np.ndim(config.value) and not broadcasts_to(np.shape(config.value), shape):
        return (f"Constant's value has shape {np.shape(config.value)}, which does not broadcast to the shape "
                f"{shape} Keras draws with it (value × ones(shape), lined up from the last axis)",
                "give one number, or values for the weight's last axes")
    for arg in ("input_axes", "output_axes"):
        problem = _axes_problem(cls, arg, getattr(config, arg, None), shape)
        if problem:
            return problem
    return None


def constraint_problem(option: str | KerasObject | None, shape: tuple[int, ...]) -> tuple[str, str] | None:
    """(why, hint) where a constraint's axis is not one of the weight's (Keras raises when it first applies it)."""
    if option is None:
        return None
    cls, config = resolve(option, "constraint")
    return _axes_problem(cls, "axis", getattr(config, "axis", None), shape)
