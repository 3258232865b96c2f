"""Every layer type is complete: used by an example spec, in the JSON Schema, and run by the NumPy backend."""
import json

import pytest
import yaml

from graphspec.layers import layer_types
from graphspec.schema import Spec
from graphspec_backends.numpy.kernels import KERNELS
from support import SPECS

TYPES = [cls.__name__ for cls in layer_types()]


def _types_in_examples() -> set[str]:
    found = set()
    for path in [*SPECS.glob("*.yaml"), *SPECS.glob("*.json")]:
        data = json.loads(path.read_text()) if path.suffix == ".json" else yaml.safe_load(path.read_text())
        blocks = [block["layers"] for block in data.get("blocks", {}).values()]  # a spec with blocks
        found.update(layer["type"] for layers in [data["layers"], *blocks] for layer in layers if "type" in layer)
    return found


@pytest.mark.parametrize("kind", TYPES)
def test_layer_type_is_complete(kind):
    assert kind in _types_in_examples(), f"no example spec in specs/ uses {kind}"
    assert kind in Spec.model_json_schema()["$defs"]
    assert kind in KERNELS
