"""Per-layer-family Keras knowledge, joined to graphspec's layer types by type name.

graphspec's fields carry Keras 3's names and defaults, so most types need nothing here: a family module registers
only its exceptions (Keras 1/2 argument names, values whose meaning changed, fields Keras lacks, a type that is
several Keras layers). `mapping_for(kind)` is the one lookup; a type no module names gets the plain Mapping.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable

# Fields of every Keras layer config that are Keras's bookkeeping, not the layer's arguments.
BOOKKEEPING = {"name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_shape", "input_dtype",
               "build_config", "compile_config", "shared_object_id"}
# Fields graphspec's layers lack whose value changes nothing graphspec computes, with the values where that holds.
INERT = {"data_format": ["channels_last"], "groups": [1], "quantization_config": [None], "lora_rank": [None],
         "lora_alpha": [None], "sparse": [False], "ragged": [False], "autocast": [True, False],
         "implementation": [0, 1, 2], "consume_less": ["cpu", "mem", "gpu"], "time_major": [False],
         "zero_output_for_mask": [False, True], "use_cudnn": ["auto", True, False], "seed": [None],
         "input_length": [None], "input_dim": [None], "return_state": [False]}


@dataclass(frozen=True)
class Mapping:
    """What one layer family does differently from the generic carry-over, in each direction."""

    renames: dict[str, str] = field(default_factory=dict)  # Keras 1/2 argument -> graphspec field, for this family
    modernize: Callable[[dict, Any], dict] | None = None  # (config, notes) -> config: a Keras 1/2 file's values
    inert: dict[str, list] = field(default_factory=dict)  # more fields that may go, with the values where they may
    weights_path: str = "vars"  # where a Keras 3 archive keeps the layer's own variables
    weight_groups: tuple[str, ...] = ()  # or the sublayers' groups that hold them, in graphspec's order
    positional: bool = False  # the inputs are the call's positional arguments (query, value, key), not one list
    not_keras: dict[str, Any] = field(default_factory=dict)  # graphspec fields Keras lacks -> the value Keras means
    keras_fields: Callable[[dict], dict] | None = None  # graphspec field values -> Keras's, on export
    export: Callable | None = None  # (layer, name, weights) -> [KerasLayer] for a type that is several Keras layers
    call_fields: tuple[str, ...] = ()  # graphspec fields that Keras takes as call arguments (use_causal_mask)
    module: str = "keras.layers"
    renamed_class: Any = None  # an old Keras class: the graphspec type it becomes, or config -> (type, config)
    # (arrays, config) -> arrays: a Keras 1 file's weights as Keras 2's preprocess_weights_for_loading made them
    keras1_weights: Callable[[list, dict], list] | None = None

    def inert_values(self, key: str) -> list | None:
        if key in self.inert:
            return self.inert[key]
        if key.endswith(("_regularizer", "_constraint")) and key != "activity_regularizer":
            return None  # graphspec's layers take them: a missing one is a real difference
        return INERT.get(key)


PLAIN = Mapping()
MAPPINGS: dict[str, Mapping] = {}


def register(mapping: Mapping, *kinds: str) -> Mapping:
    for kind in kinds:
        MAPPINGS[kind] = mapping
    return mapping


def mapping_for(kind: str) -> Mapping:
    return MAPPINGS.get(kind, PLAIN)


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
