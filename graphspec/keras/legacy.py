"""Keras 1 and 2 configs in Keras 3's words: argument names, and the values whose meaning changed.

Every change is written down (`Notes`) so that the importer can list them at the top of the spec it writes.
"""
from __future__ import annotations

from typing import Any

from ..keras_names import KERAS_RENAMED

# Keras 1 initializer names -> Keras 3's (normal and uniform had Keras 3's default ranges, 0.05).
INITIALIZERS = {"normal": "random_normal", "uniform": "random_uniform", "zero": "zeros", "one": "ones"}
DATA_FORMATS = {"tf": "channels_last", "th": "channels_first", "default": "channels_last"}
# Keras 1 argument -> Keras 3 name, everywhere (a family's renames come first: Embedding's init is its own).
GENERIC_RENAMES = {old: new for old, (new, _) in KERAS_RENAMED.items()
                   if old not in ("alpha", "p", "length", "nb_row", "nb_col", "input_dtype", "bias")}
GENERIC_RENAMES |= {"beta_init": "beta_initializer", "gamma_init": "gamma_initializer", "bias": "use_bias",
                    "stride": "strides"}


class Notes:
    """Each mapping the import made, once per kind, with the layers it touched."""

    def __init__(self):
        self.made: dict[str, list[str]] = {}

    def add(self, text: str, layer: str) -> None:
        self.made.setdefault(text, []).append(layer)

    def lines(self) -> list[str]:
        return [f"{text} ({_names(layers)})" for text, layers in self.made.items()]


def _names(layers: list[str]) -> str:
    shown = ", ".join(layers[:4])
    return shown + (f" and {len(layers) - 4} more" if len(layers) > 4 else "")


class Era:
    """Which Keras wrote a file: 1, 2 or 3, from its keras_version or, without one, from how the config reads."""

    def __init__(self, version: str | None, config: Any):
        self.version = version
        self.major = int(version.split(".")[0]) if version and version[:1].isdigit() else _guess(config)

    @property
    def old(self) -> bool:
        return self.major < 3


def _guess(config: Any) -> int:
    text = str(config)
    if "'module': 'keras" in text or "__keras_tensor__" in text:
        return 3
    return 1 if isinstance(config.get("config"), list) or "'nb_filter'" in text or "'output_dim'" in text \
        and "'units'" not in text else 2


def keras1_object(value: Any, kind: str) -> Any:
    """Keras 1's {"name": "WeightRegularizer", "l1": .., "l2": ..} and {"name": "MaxNorm", "m": ..} as Keras 3 objects."""
    if not isinstance(value, dict) or "class_name" in value or "name" not in value:
        return value
    name, rest = value["name"], {k: v for k, v in value.items() if k != "name"}
    if kind == "regularizer":
        return {"class_name": "L1L2", "config": {"l1": rest.get("l1", 0.0), "l2": rest.get("l2", 0.0)}}
    if name == "MaxNorm":
        return {"class_name": "MaxNorm", "config": {"max_value": rest.get("m", 2), "axis": rest.get("axis", 0)}}
    if name == "UnitNorm":
        return {"class_name": "UnitNorm", "config": {"axis": rest.get("axis", 0)}}
    if name == "NonNeg":
        return {"class_name": "NonNeg", "config": {}}
    return value


def modernize(config: dict, renames: dict, layer: str, notes: Notes) -> dict:
    """Generic Keras 1/2 -> 3 rewriting: argument names, padding and data format words, old objects, hard_sigmoid."""
    out = {}
    for key, value in config.items():
        new = renames.get(key) or GENERIC_RENAMES.get(key, key)
        if new != key:
            notes.add(f"{key} read as {new}", layer)
        out[new] = _modern_value(new, value, layer, notes)
    return out


def _modern_value(key: str, value: Any, layer: str, notes: Notes) -> Any:
    if key.endswith("activation") and value == "hard_sigmoid":
        notes.add("hard_sigmoid read as keras2_hard_sigmoid, clip(0.2 x + 0.5, 0, 1), as Keras 1 and 2 computed "
                  "it (Keras 3's hard_sigmoid is relu6(x + 3) / 6)", layer)
        return "keras2_hard_sigmoid"
    if key.endswith("_initializer") and isinstance(value, str) and value in INITIALIZERS:
        notes.add(f"initializer {value} read as {INITIALIZERS[value]}", layer)
        return INITIALIZERS[value]
    if key.endswith("_initializer") and isinstance(value, dict) and "class_name" not in value and "name" in value:
        return INITIALIZERS.get(value["name"], value["name"])
    if key.endswith(("_regularizer", "_constraint")):
        return keras1_object(value, "regularizer" if key.endswith("_regularizer") else "constraint")
    if key == "data_format" and value in DATA_FORMATS:
        if value == "default":
            notes.add("dim_ordering default read as channels_last (TensorFlow's; Theano's was channels_first)",
                      layer)
        return DATA_FORMATS[value]
    return value
