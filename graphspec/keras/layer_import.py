"""One Keras layer call -> one graphspec layer mapping (a plain dict, as a spec file holds it).

The class name becomes `type`, the config's arguments its fields (Keras 1/2 names and values first made Keras 3's,
see legacy.py), less Keras's bookkeeping. A field graphspec's type lacks is dropped only where its value changes
nothing graphspec computes; otherwise it is an error naming the layer, the argument and the value.
"""
from __future__ import annotations

from typing import Any

from ..diagnostics import Code
from ..layers import LAYERS
from ..layers.keras_objects import CLASSES
from ..layers.naming import snake_case
from . import legacy
from .families import BOOKKEEPING, mapping_for
from .families.merge import ACTIVATIONS, OPERATIONS
from .problems import Problems
from .topology import Call

NO_CODE = "graphspec never runs code stored in a model file"
KERAS_MODULES = ("keras.layers", "keras_hub")


def spec_layer(call: Call, era: legacy.Era, problems: Problems, notes: legacy.Notes, masks=frozenset()) -> dict:
    """The graphspec layer for one call; an unsupported one is kept with its class as type (so the spec still shows
    where it stood) and reported."""
    if is_operation(call):
        return operation(call, problems)
    kind, config = call.class_name, dict(call.config)
    mapping = mapping_for(kind)
    if mapping.renamed_class:
        kind, config = (mapping.renamed_class(config) if callable(mapping.renamed_class)
                        else (mapping.renamed_class, config))
        notes.add(f"{call.class_name} read as {kind}", call.name)
        mapping = _merged(mapping, mapping_for(kind))
    layer = {"type": kind, "name": call.name, **_wiring(call)}
    if kind not in LAYERS or not (call.module or "keras.layers").startswith(KERAS_MODULES):
        _unsupported(call, kind, problems)
        return layer
    if era.old:
        config = legacy.modernize(mapping.modernize(config, notes) if mapping.modernize else config,
                                  mapping.renames, call.name, notes)
    _check_dtype(call, config, problems)
    if config.get("trainable", True) is False:
        layer["trainable"] = False
    config = _nested_layers(call, kind, config, era, problems, notes)
    fields = LAYERS[kind].model_fields
    for key, value in config.items():
        if key in BOOKKEEPING or (key in ("input_dim", "input_length") and kind != "Embedding"):
            continue
        if key in fields:
            if not _default(fields[key], value, key):
                layer[key] = plain(value, key)
        elif not _inert(mapping, key, value):
            problems.error(Code.IMPORT_UNSUPPORTED_ARGUMENT, call.name, f"{call.class_name} argument {key} = "
                           f"{value!r} changes what the layer computes, and graphspec's {kind} has no {key}",
                           "rebuild the layer without it in Keras, or leave it out of the spec if you accept "
                           "the difference")
    _call_kwargs(call, layer, mapping, problems, masks)
    return layer


def _nested_layers(call: Call, kind: str, config: dict, era, problems: Problems, notes) -> dict:
    """A wrapper's `layer` (and Bidirectional's `backward_layer`): a Keras layer record, imported as a layer itself
    (the wrapper's name stands for it; Keras's forward_lstm, dense names are its own bookkeeping)."""
    config = dict(config)
    for key in getattr(LAYERS[kind], "nested_fields", ()):
        record = config.get(key)
        if isinstance(record, dict) and "class_name" in record:
            inner = Call(call.name, str(record["class_name"]), dict(record.get("config") or {}), record.get("module"))
            layer = spec_layer(inner, era, problems, notes)
            config[key] = {k: v for k, v in layer.items() if k not in ("name", "inputs")}
    return config


def plain(value: Any, key: str = "") -> Any:
    """A Keras object as a spec writes it: `glorot_uniform` for GlorotUniform at its defaults, else {class_name,
    config} without Keras's module and registry bookkeeping."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "class_name" in value and "config" in value:
        config = {k: plain(v) for k, v in (value.get("config") or {}).items() if v is not None}
        return snake_case(value["class_name"]) if _at_defaults(value["class_name"], config, key) else \
            {"class_name": value["class_name"], "config": config}
    return {k: plain(v) for k, v in value.items() if k not in ("module", "registered_name", "shared_object_id")}


def _at_defaults(class_name: str, config: dict, key: str) -> bool:
    kind = key.rpartition("_")[2] or "initializer"
    known = CLASSES.get(kind if kind in CLASSES else "initializer", {}).get(class_name)
    if known is None:
        return not config
    try:
        return known(**config) == known()
    except (TypeError, ValueError):
        return False


def _default(field, value: Any, key: str = "") -> bool:
    """Whether a Keras value is graphspec's default for the field, so the spec may leave it out."""
    default = field.default
    if value == "linear" and default is None:
        return True
    if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, list) and value:
        return all(type(v) is int and v == default for v in value)
    if isinstance(value, dict) or isinstance(default, (dict, list)):
        return plain(value, key) == default
    return type(value) is type(default) and value == default or value is None is default


def _merged(old, new):
    """An old class's own renames and value changes, then those of the type it becomes."""
    from dataclasses import replace

    def both(config, notes):
        config = old.modernize(config, notes) if old.modernize else config
        return new.modernize(config, notes) if new.modernize else config
    return replace(new, renames={**new.renames, **old.renames}, modernize=both, inert={**new.inert, **old.inert})


def _wiring(call: Call) -> dict:
    return {"inputs": call.sources[0] if len(call.sources) == 1 else list(call.sources)} if call.sources else {}


def _inert(mapping, key: str, value: Any) -> bool:
    allowed = mapping.inert_values(key)
    return allowed is not None and any(type(value) is type(a) and value == a for a in allowed)


def _check_dtype(call: Call, config: dict, problems: Problems) -> None:
    policy = config.get("dtype")
    name = policy.get("config", {}).get("name") if isinstance(policy, dict) else policy
    if name not in (None, "float32"):
        problems.error(Code.IMPORT_UNSUPPORTED_ARGUMENT, call.name, f"{call.class_name} computes in dtype policy "
                       f"{name!r}; graphspec computes in float32", "save the model with the float32 policy "
                       "(keras.config.set_dtype_policy('float32') before building it)")


def is_operation(call: Call) -> bool:
    """A Keras 3 operation node (x + y, keras.ops.relu): module keras.src.ops.*, or, in a legacy .h5 that leaves the
    module out, a record whose config holds its name alone (a layer's config always has trainable and dtype)."""
    if call.module:
        return call.module.startswith("keras.src.ops")
    return set(call.config) == {"name"} and call.class_name in {*OPERATIONS, *ACTIVATIONS, "NotEqual"}


def is_mask_operation(call: Call) -> bool:
    """not_equal(ids, 0): how Keras 3 writes the mask an Embedding with mask_zero passes on, which graphspec passes
    on by itself."""
    return is_operation(call) and call.class_name == "NotEqual" and call.constants == [0]


def _call_kwargs(call: Call, layer: dict, mapping, problems: Problems, masks=frozenset()) -> None:
    """Call arguments: those graphspec keeps as fields (use_causal_mask); training=False; a mask Keras computed as
    not_equal(ids, 0), which graphspec derives itself; anything else refused."""
    references = getattr(LAYERS.get(layer.get("type")), "reference_fields", ())
    for key, value in call.kwargs.items():
        if key in mapping.call_fields:
            layer[key] = value
        elif key in references:  # initial_state=[h, c]: references to the tensors
            layer[key] = [ref.source for ref in value] if isinstance(value, list) else value.source
        elif key == "training" and value is False or key == "mask" and getattr(value, "source", None) in masks:
            continue
        else:
            problems.error(Code.IMPORT_WIRING, call.name, f"{call.class_name} is called with {key}={_shown(value)}, "
                           "which graphspec cannot pass to a layer", "call the layer without it in Keras")


def _unsupported(call: Call, kind: str, problems: Problems) -> None:
    where = f"{call.module}.{call.class_name}" if call.module else call.class_name
    if call.class_name in ("Lambda", "TFOpLambda", "SlicingOpLambda"):
        message, hint = f"a {call.class_name} layer runs Python code stored in the file", \
            f"{NO_CODE}: replace it by the Keras layers it computes"
    elif call.registered_name and ">" in str(call.registered_name) or \
            not (call.module or "keras.layers").startswith(KERAS_MODULES):
        message = f"{where} is a custom class ({call.registered_name or call.module}) with no graphspec equivalent"
        hint = f"{NO_CODE}: write the layer as graphspec layers, or replace it in Keras"
    elif kind not in LAYERS:
        message = f"Keras's {kind} has no graphspec layer yet"
        hint = "write what it computes with graphspec's layers, or replace it in Keras before importing"
    else:
        message, hint = f"{where} is not a Keras layer graphspec knows", "replace it by a keras.layers layer"
    problems.error(Code.IMPORT_UNSUPPORTED_LAYER, call.name, message, hint)


def operation(call: Call, problems: Problems) -> dict:
    """A Keras 3 operation node: two tensors -> the merge layer; a tensor and a number -> Rescaling; an activation
    function -> Activation."""
    layer = {"type": call.class_name, "name": call.name, **_wiring(call)}
    numbers = [c for c in call.constants if isinstance(c, (int, float)) and not isinstance(c, bool)]
    if call.class_name in ACTIVATIONS and not call.constants:
        return {**layer, "type": "Activation", "activation": ACTIVATIONS[call.class_name]}
    merge, affine = OPERATIONS.get(call.class_name, (None, None))
    if merge and len(call.sources) >= 2 and not call.constants:
        return {**layer, "type": merge}
    if affine and len(call.sources) == 1 and not call.leading_constant and len(numbers) == 1 == len(call.constants) and numbers[0] != 0:
        scale, offset = affine(float(numbers[0]))
        return {**layer, "type": "Rescaling", "scale": scale, "offset": offset}
    problems.error(Code.IMPORT_UNSUPPORTED_LAYER, call.name, f"the operation keras.ops {call.class_name} on "
                   f"{len(call.sources)} tensor(s) and {call.constants!r} has no graphspec layer",
                   "write it with Keras layers (Add, Multiply, Rescaling, Activation...) before saving")
    return layer


def _shown(value: Any) -> str:
    return f"the output of '{value.source}'" if hasattr(value, "source") else repr(value)
