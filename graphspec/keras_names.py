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
}
_AS_WRITTEN = {"nb_row": "Keras 3 writes nb_row and nb_col as kernel_size: [rows, cols]",
               "nb_col": "Keras 3 writes nb_row and nb_col as kernel_size: [rows, cols]",
               "dim_ordering": "Keras 3 calls it data_format (tf is channels_last, th channels_first)"}

_COMMON_WORDS = {"alpha", "p", "bias"}


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

