"""Every layer type, one module each (or one per family), registered by its Keras name.

Importing this package imports its sibling modules, so a new layer type is one new file.
"""

import importlib
import pkgutil
from functools import cache
from typing import Annotated, Union

from pydantic import Field, TypeAdapter

from .base import LAYERS, Layer, ShapeError
from .wrapper import resolve_nested_layers

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

globals().update({cls.__name__: cls for cls in LAYERS.values()})


def layer_types() -> list[type[Layer]]:
    """Each registered type once, in a stable order."""
    return sorted(set(LAYERS.values()), key=lambda cls: cls.__name__)


@cache
def layer_adapter() -> TypeAdapter:
    """Validates one layer mapping, choosing the model by its `type`."""
    union = Union[tuple(layer_types())]  # noqa: UP007 - a runtime-built union
    return TypeAdapter(Annotated[union, Field(discriminator="type")])


resolve_nested_layers(layer_types())  # wrappers nest any layer type, so their fields are typed once all exist


__all__ = ["LAYERS", "Layer", "ShapeError", "layer_types", "layer_adapter", *sorted(c.__name__ for c in LAYERS.values())]
