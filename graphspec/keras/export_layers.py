"""graphspec layers -> Keras 3 layer records (class, config, variables), the generic way unless a family says
otherwise: a layer's fields are Keras's arguments, less graphspec's wiring and Sequential shorthand and the fields
Keras lacks (a field Keras lacks that is set to something Keras cannot mean is reported, never dropped)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..diagnostics import Code, error
from .families import mapping_for

SPEC_ONLY = {"type", "name", "inputs", "input_shape", "input_dim", "dtype"}
KERAS_TOO = {"Embedding": {"input_dim"}}  # graphspec's shorthand name that is also the Keras layer's argument
NO_KWARGS = {f"SpatialDropout{n}D" for n in (1, 2, 3)}  # Keras 3 takes no trainable or activity_regularizer there


@dataclass
class KerasLayer:
    class_name: str
    name: str
    config: dict
    arrays: list = field(default_factory=list)  # its variables in Keras's order
    module: str = "keras.layers"
    kwargs: dict = field(default_factory=dict)  # call arguments (use_causal_mask)
    weights_path: str = "vars"
    groups: dict | None = None  # a wrapper's variables: path under its group -> arrays (else all under weights_path)


def keras_fields(layer) -> dict:
    """The Keras arguments of a graphspec layer: its fields less graphspec's own, as Keras takes them."""
    mapping = mapping_for(layer.kind)
    skip = (SPEC_ONLY - KERAS_TOO.get(layer.kind, set())) | set(mapping.not_keras) | set(mapping.call_fields) \
        | set(layer.reference_fields)  # initial_state: a call argument in Keras
    if layer.kind in NO_KWARGS:
        skip |= {"trainable", "activity_regularizer"}
    fields = {k: v for k, v in layer.model_dump(mode="json").items() if k not in skip}
    return mapping.keras_fields(fields) if mapping.keras_fields else fields


def unsupported(layer, name: str) -> list:
    """Diagnostics for what Keras has no equivalent for: a Keras-less field set to a value Keras cannot mean, an
    activation Keras 3 cannot name."""
    mapping = mapping_for(layer.kind)
    found = []
    for key, meant in mapping.not_keras.items():
        value = getattr(layer, key, None)
        if value is not None and meant is None:
            found.append(error(Code.EXPORT_UNSUPPORTED, f"{layer.kind} {key} = {value!r} has no Keras equivalent",
                               "Keras would compute another result: leave it out of the spec to export", layer=name))
    for key, value in layer.model_dump().items():
        if key.endswith("activation") and value == "keras2_hard_sigmoid":
            found.append(error(Code.EXPORT_UNSUPPORTED, f"{key} keras2_hard_sigmoid (Keras 1 and 2's "
                               "hard_sigmoid) has no name in Keras 3", "Keras 3's hard_sigmoid is relu6(x + 3) / 6: "
                               "write that (or sigmoid) if you accept other numbers", layer=name))
    return found


def keras_layers(layer, name: str, weights: dict) -> list[KerasLayer]:
    """The Keras layers standing for one graphspec layer, in order, each with its variables."""
    mapping = mapping_for(layer.kind)
    if mapping.export:
        return mapping.export(layer, name, weights)
    config = keras_fields(layer)
    kwargs = {k: getattr(layer, k) for k in mapping.call_fields if getattr(layer, k, None)}
    arrays = [np.asarray(weights[w]) for w in weights]
    groups = None
    if mapping.weight_groups:  # two arrays (kernel, bias) per sublayer, or one where use_bias is off
        per = len(arrays) // len(mapping.weight_groups)
        groups = {g: arrays[i * per:(i + 1) * per] for i, g in enumerate(mapping.weight_groups)}
    return [KerasLayer(layer.kind, name, config, arrays, mapping.module, kwargs, mapping.weights_path, groups)]
