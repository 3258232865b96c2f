"""Keras's per-weight options: `<prefix>_initializer`, `<prefix>_regularizer` and `<prefix>_constraint`.

A layer type takes them by inheriting the mixin of each of its weights, e.g. `class Dense(Layer,
weight_options("kernel", "glorot_uniform"), weight_options("bias", "zeros"))`, so the fields carry Keras's
names and defaults. Each value is a Keras name (`he_normal`) or Keras's serialised `{class_name, config}` form.
The checker only validates them; a backend draws initial weights from `Layer.initializer(weight)`, and
training reads the regularisers and constraints.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, create_model


class KerasObject(BaseModel):
    """Keras's serialised form of an initialiser, regulariser or constraint (`keras.saving.serialize_keras_object`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    class_name: StrictStr
    config: dict[str, Any] = Field(default_factory=dict)
    module: StrictStr | None = None
    registered_name: StrictStr | None = None


Option = StrictStr | KerasObject


@cache
def weight_options(prefix: str, initializer: str) -> type[BaseModel]:
    """The mixin holding one weight's three options, `initializer` being Keras's default for it."""
    fields = {
        f"{prefix}_initializer": (Option, Field(initializer, description=f"How {prefix} starts (a Keras initializer).")),
        f"{prefix}_regularizer": (Option | None, Field(None, description=f"Penalty on {prefix} while training.")),
        f"{prefix}_constraint": (Option | None, Field(None, description=f"Projection of {prefix} after each update.")),
    }
    return create_model(f"{prefix.title().replace('_', '')}Options", __base__=BaseModel, **fields)
