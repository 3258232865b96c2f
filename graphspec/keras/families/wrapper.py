"""TimeDistributed and Bidirectional: Keras nests the wrapped layer's record under `layer` (and `backward_layer`)
and keeps its variables under the wrapper: layers/time_distributed/layer/vars, layers/bidirectional/
forward_layer/cell/vars and backward_layer/cell/vars. graphspec's weights are the inner layer's names
(forward_*/backward_* for Bidirectional), in Keras's order."""
from __future__ import annotations

from . import Mapping, mapping_for, register


def _record(inner, name: str) -> dict:
    from ..export_layers import keras_fields
    return {"module": "keras.layers", "class_name": inner.kind, "config": {"name": name, **keras_fields(inner)},
            "registered_name": None}


def _arrays(weights: dict, prefix: str = "") -> list:
    import numpy as np
    return [np.asarray(array) for key, array in weights.items() if key.startswith(prefix)]


def _export(layer, name: str, weights: dict) -> list:
    from ..export_layers import KerasLayer, keras_fields
    config = {k: v for k, v in keras_fields(layer).items() if k not in layer.nested_fields}
    config["layer"] = _record(layer.layer, f"forward_{name}" if layer.kind == "Bidirectional" else f"{name}_inner")
    if layer.kind == "TimeDistributed":
        groups = {f"layer/{mapping_for(layer.layer.kind).weights_path}": _arrays(weights)}
    else:
        if layer.backward_layer is not None:
            config["backward_layer"] = _record(layer.backward_layer, f"backward_{name}")
        cell = mapping_for(layer.layer.kind).weights_path
        groups = {f"{side}_layer/{cell}": _arrays(weights, f"{side}_") for side in ("forward", "backward")}
    arrays = [a for group in groups.values() for a in group]
    return [KerasLayer(layer.kind, name, config, arrays, groups=groups)]


register(Mapping(export=_export), "TimeDistributed", "Bidirectional")
