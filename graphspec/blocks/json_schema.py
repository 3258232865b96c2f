"""The JSON Schema of both formats: version 1 (pydantic's schema of Spec), version 2 with blocks, and a file of
blocks for `include:`.

In version 2 every layer field may also be a parameter (`$filters`, `$(filters * 4)`): each layer type gets a
"Templated" twin whose properties refer to the version-1 ones (`#/$defs/Conv2D/properties/filters`) or accept a
parameter, so the schema grows by references, not by a second copy of every field.
"""
from __future__ import annotations

import copy

from ..schema import Spec

PARAMETER = {"type": "string", "pattern": r"\$", "description": "a block parameter: $name, $(expression), or text "
             "holding them (conv$i); $$ is a dollar sign"}
NAMES = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
REPEAT = {"anyOf": [{"type": "integer", "minimum": 1}, {"$ref": "#/$defs/Parameter"}],
          "description": "chain this many copies, named name_1 ... name_N (or by a `name: block$i` template); i is "
                         "the copy's number, from 1"}


def _templated(definition: dict, name: str) -> dict:
    properties = {key: value if key == "type" else
                  {"anyOf": [{"$ref": f"#/$defs/{name}/properties/{key}"}, {"$ref": "#/$defs/Parameter"}]}
                  for key, value in definition.get("properties", {}).items()}
    return {"type": "object", "title": f"{name} (in version 2)", "description": definition.get("description", ""),
            "properties": {**properties, "repeat": REPEAT}, "required": definition.get("required", []),
            "additionalProperties": False}


def _item(layers: dict) -> dict:
    mapping = {kind: f"{ref}Templated" for kind, ref in layers["discriminator"]["mapping"].items()}
    union = {"discriminator": {"propertyName": "type", "mapping": mapping},
             "oneOf": [{"$ref": f"{one['$ref']}Templated"} for one in layers["oneOf"]]}
    use = {"type": "object", "title": "block use", "required": ["block"], "description": "a block's layers, named "
           "use/layer; the other keys are the block's parameters",
           "properties": {"block": {"type": "string"}, "name": {"type": "string"}, "inputs": NAMES, "repeat": REPEAT,
                          "trainable": {"type": "boolean"}}, "additionalProperties": True}
    shared = {"type": "object", "title": "shared use", "required": ["shared"], "description": "the layer or block "
              "use named by `shared`, applied to other inputs with the same weights",
              "properties": {"shared": {"type": "string"}, "name": {"type": "string"}, "inputs": NAMES,
                             "initial_state": {**NAMES, "description": "this call's own initial states (a recurrent "
                                                                       "layer's)"}},
              "additionalProperties": False}
    return {"anyOf": [union, use, shared]}


def _block() -> dict:
    param_list = {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object", "minProperties": 1,
                                                                           "maxProperties": 1}]}}
    return {"type": "object", "title": "block", "required": ["layers"], "additionalProperties": False,
            "properties": {"params": {"anyOf": [param_list, {"type": "object"}], "description": "[name, name: "
                                      "default, ...]: a bare name is required"},
                           "inputs": NAMES, "outputs": NAMES, "description": {"type": "string"},
                           "layers": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Item"}}}}


def spec_schema() -> dict:
    v1 = Spec.model_json_schema()
    defs = v1.pop("$defs")
    layers = v1["properties"]["layers"]["items"]
    for ref in {one["$ref"] for one in layers["oneOf"]}:
        name = ref.rsplit("/", 1)[-1]
        defs[f"{name}Templated"] = _templated(defs[name], name)
    inputs = copy.deepcopy(defs["InputSpec"])
    inputs["properties"]["shape"] = {"anyOf": [{"type": "array", "items": {"anyOf": [
        {"type": "integer"}, {"type": "null"}, {"$ref": "#/$defs/Parameter"}]}}, {"$ref": "#/$defs/Parameter"}]}
    v2 = copy.deepcopy(v1)
    v2["properties"].update({
        "graphspec": {"const": 2, "description": "Format version 2: blocks, repeat, shared, include, params."},
        "params": {"type": "object", "description": "the model's own parameters and their values"},
        "include": NAMES | {"description": "files of blocks, relative to this one"},
        "blocks": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Block"}},
        "inputs": {"type": "object", "additionalProperties": {"$ref": "#/$defs/InputSpecTemplated"}},
        "layers": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Item"}}})
    v2["required"] = ["graphspec", "layers"]
    v2["title"] = "Spec (version 2)"
    blocks_file = {"type": "object", "title": "a file of blocks, for include:", "required": ["blocks"],
                   "additionalProperties": False, "properties": {key: v2["properties"][key] for key in
                                                                 ("graphspec", "include", "blocks")}}
    defs.update({"Spec": v1, "SpecV2": v2, "BlocksFile": blocks_file, "Item": _item(layers), "Block": _block(),
                 "Parameter": PARAMETER, "InputSpecTemplated": inputs})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "graphspec spec, format versions 1 and 2",
            "oneOf": [{"$ref": "#/$defs/Spec"}, {"$ref": "#/$defs/SpecV2"}, {"$ref": "#/$defs/BlocksFile"}],
            "$defs": defs}
