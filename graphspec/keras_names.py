"""What Keras 1 and 2 code and Keras 3's own names look like, for hints that say what a name means today."""
from __future__ import annotations

from typing import Any

# Argument names of Keras 1 and 2 code that Keras 3 renamed: old name -> (Keras 3's name, the Keras that used it).
# Only consulted for a field the layer does not have: where a name is still valid (Embedding's output_dim, an
# alpha a layer accepts), it is never looked up.
KERAS_RENAMED = {
    "output_dim": ("units", "Keras 1"), "nb_filter": ("filters", "Keras 1"), "nb_row": ("kernel_size", "Keras 1"),
    "nb_col": ("kernel_size", "Keras 1"), "filter_length": ("kernel_size", "Keras 1"),
    "border_mode": ("padding", "Keras 1"), "subsample": ("strides", "Keras 1"),
    "subsample_length": ("strides", "Keras 1"), "pool_length": ("pool_size", "Keras 1"),
    "atrous_rate": ("dilation_rate", "Keras 1"), "init": ("kernel_initializer", "Keras 1"),
    "inner_init": ("recurrent_initializer", "Keras 1"), "W_regularizer": ("kernel_regularizer", "Keras 1"),
    "b_regularizer": ("bias_regularizer", "Keras 1"), "U_regularizer": ("recurrent_regularizer", "Keras 1"),
    "W_constraint": ("kernel_constraint", "Keras 1"), "b_constraint": ("bias_constraint", "Keras 1"),
    "U_constraint": ("recurrent_constraint", "Keras 1"), "bias": ("use_bias", "Keras 1"),
    "dropout_W": ("dropout", "Keras 1"), "dropout_U": ("recurrent_dropout", "Keras 1"),
    "inner_activation": ("recurrent_activation", "Keras 1"), "dim_ordering": ("data_format", "Keras 1"),
    "input_dtype": ("dtype", "Keras 1"), "p": ("rate", "Keras 1"), "alpha": ("negative_slope", "Keras 2"),
    "length": ("size", "Keras 1"),  # UpSampling1D's
}
_AS_WRITTEN = {"nb_row": "Keras 3 writes nb_row and nb_col as kernel_size: [rows, cols]",
               "nb_col": "Keras 3 writes nb_row and nb_col as kernel_size: [rows, cols]",
               "dim_ordering": "Keras 3 calls it data_format (tf is channels_last, th channels_first)"}

_COMMON_WORDS = {"alpha", "p", "bias", "length"}


def renamed(field: str | None, model) -> str | None:
    """Keras 3's name for an old argument name that `model` takes, e.g. units for output_dim on Dense."""
    new = KERAS_RENAMED.get(field or "")
    return new[0] if new and model is not None and new[0] in model.model_fields else None


def old_name_hint(field: str | None, value: Any, model) -> str | None:
    """How Keras 3 says what an old argument name said, for a field `model` does not have; None for a name that is
    not an old one."""
    if field == "input_length":
        return f"Keras 3 has no input_length here: put the steps in the input's shape, e.g. [{value}, features]"
    if field == "batch_input_shape":
        shown = f": input_shape: {list(value[1:])}" if isinstance(value, list) and value else ""
        return f"Keras 3 has no batch_input_shape on a layer: give input_shape, the shape without the batch{shown}"
    new, version = KERAS_RENAMED.get(field or "", (None, None))
    if new is None:
        return None
    if renamed(field, model) is None:  # a short word (alpha, p) may mean something else here: say nothing
        owner = getattr(model, "kind_name", getattr(model, "__name__", "this"))
        return None if field in _COMMON_WORDS else f"'{field}' is the {version} name of {new}, which {owner} " \
            "does not take"
    return f"'{field}' is the {version} name: {_AS_WRITTEN.get(field, f'Keras 3 calls it {new}')}"



# Layer types of Keras 1 and 2 code that Keras 3 renamed or folded into another: old type -> (Keras 3's type, the
# Keras that had it, and an argument the old type had under another name: (Keras 3's name, the old name, its
# default)). Only consulted for a type graphspec does not have.
KERAS_RENAMED_TYPES = {
    "Deconvolution2D": ("Conv2DTranspose", "Keras 1", None), "Deconvolution3D": ("Conv3DTranspose", "Keras 1", None),
    "Deconv2D": ("Conv2DTranspose", "Keras 2", None), "Deconv3D": ("Conv3DTranspose", "Keras 2", None),
    "AtrousConvolution1D": ("Conv1D", "Keras 1", ("dilation_rate", "atrous_rate", None)),
    "AtrousConvolution2D": ("Conv2D", "Keras 1", ("dilation_rate", "atrous_rate", None)),
    "ThresholdedReLU": ("ReLU", "Keras 2", ("threshold", "theta", 1.0)),
    "CuDNNLSTM": ("LSTM", "Keras 2", None), "CuDNNGRU": ("GRU", "Keras 2", None),
}
# Keras 1's Merge layer by its mode -> Keras 3's layer for it.
MERGE_MODES = {"sum": "Add", "mul": "Multiply", "concat": "Concatenate", "ave": "Average", "max": "Maximum",
               "dot": "Dot", "cos": "Dot with normalize: true"}


def _merge_hint(mode: Any) -> str:
    if mode in MERGE_MODES:
        return f"Keras 1's Merge with mode: {mode} is {MERGE_MODES[mode].split()[0]} in Keras 3: write type: " \
            f"{MERGE_MODES[mode]}"
    return "Keras 3 has a layer per Keras 1 Merge mode: " + ", ".join(f"{new} ({m})" for m, new in MERGE_MODES.items())


def old_type_hint(tag: str, layer: Any, types) -> str | None:
    """How Keras 3 writes a layer type of Keras 1 or 2 code (`layer` is its mapping, for Merge's mode), or a dotted
    name (keras.layers.Dense, experimental.preprocessing.Rescaling) whose last part is a type in `types`."""
    layer = layer if isinstance(layer, dict) else {}
    if "." in tag:
        module, last = tag.rsplit(".", 1)
        inner = old_type_hint(last, layer, types)
        return inner if inner or last not in types else f"write type: {last}: a spec names the type without its " \
            f"module ({module})"
    if tag in ("Merge", "merge"):
        return _merge_hint(layer.get("mode"))
    if tag not in KERAS_RENAMED_TYPES:
        return None
    new, version, argument = KERAS_RENAMED_TYPES[tag]
    extra = ""
    if argument:
        name, old, default = argument
        value = layer.get(old, default)
        extra = f" with {name} (its {old})" if value is None else f" with {name}: {value} (its {old})"
    return f"'{tag}' is a {version} type: Keras 3 writes it as type: {new}{extra}"
