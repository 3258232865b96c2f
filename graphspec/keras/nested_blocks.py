"""Nested Keras models as blocks: the flat layers the topology gives (named <model>.<layer>) folded back into one
block definition per nested model config and one block use per call (a later call is a shared use already), so
that `check` and `render` fold them as Keras's summary does. Layers inside a use are named <use>/<layer> in the
checked graph, which is how their weights are keyed.
"""
from __future__ import annotations

import json
import re

from ..layers import LAYERS
from .topology import NestedModel

REFERENCE_FIELDS = {field for kind in LAYERS.values() for field in getattr(kind, "reference_fields", ())}


def graph_name(flat: str, nested: dict[tuple, NestedModel]) -> str:
    """The checked graph's name of a flat layer name: each nested model's dot becomes a block use's slash."""
    parts = flat.split(".")
    depth = next((n for n in range(len(parts) - 1, 0, -1) if tuple(parts[:n]) in nested), 0)
    return "/".join(parts[:depth] + [".".join(parts[depth:])])


def fold(document: dict, nested: dict[tuple, NestedModel]) -> dict:
    """The document with each nested model's layers as a block use, and the blocks they use (format version 2)."""
    if not nested:
        return document
    folder = _Folder(nested)
    layers = folder.level(document["layers"], (), {})
    outputs = document["outputs"]
    outputs = [folder.local(o, (), {}) for o in outputs] if isinstance(outputs, list) else \
        folder.local(outputs, (), {})
    front = {k: v for k, v in document.items() if k not in ("layers", "outputs")}
    return {**front, "graphspec": 2, "blocks": folder.blocks, "layers": layers, "outputs": outputs}


class _Folder:
    def __init__(self, nested: dict[tuple, NestedModel]):
        self.nested = nested
        self.blocks: dict[str, dict] = {}
        self.known: dict[str, str] = {}  # a definition's JSON -> its block name

    def level(self, layers: list[dict], path: tuple, inputs: dict[str, str]) -> list[dict]:
        """The layers of one model (the top, or a nested model at `path`), its nested models as uses."""
        out, done = [], set()
        for layer in layers:
            head = _relative(layer["name"], path).split(".")[0]
            inner = (*path, head)
            if inner not in self.nested:
                out.append(self.localised(layer, path, inputs))
            elif inner not in done:
                done.add(inner)
                group = [la for la in layers if la["name"].startswith(".".join(inner) + ".")]
                out.append(self.use(inner, group, path, inputs))
        return out

    def use(self, inner: tuple, group: list[dict], path: tuple, inputs: dict) -> dict:
        model = self.nested[inner]
        names = [_identifier(n) for n in model.input_names]
        own = dict(zip(model.sources, names))
        outputs = [self.local(o, inner, own) for o in model.outputs]
        definition = {"inputs": names, "layers": self.level(group, inner, own),
                      "outputs": outputs[0] if len(outputs) == 1 else outputs}
        sources = [self.local(s, path, inputs) for s in model.sources]
        return {"block": self.named(model.name, definition), "name": inner[-1],
                "inputs": sources[0] if len(sources) == 1 else sources}

    def named(self, model_name: str, definition: dict) -> str:
        key = json.dumps(definition, sort_keys=True, default=str)
        if key not in self.known:
            base = _identifier(model_name)
            name, count = base, 1
            while name in self.blocks:
                count += 1
                name = f"{base}_{count}"
            self.blocks[name], self.known[key] = definition, name
        return self.known[key]

    def localised(self, layer: dict, path: tuple, inputs: dict) -> dict:
        keys = ("inputs", "shared", *REFERENCE_FIELDS)
        out = {**layer, "name": _relative(layer["name"], path)}
        for key in (k for k in keys if k in layer):
            value = layer[key]
            out[key] = [self.local(v, path, inputs) if isinstance(v, str) else v for v in value] \
                if isinstance(value, list) else self.local(value, path, inputs) if isinstance(value, str) else value
        return out

    def local(self, ref: str, path: tuple, inputs: dict) -> str:
        """A flat reference as written inside the model at `path`: its input's name, its own layer's, or the use
        (and output index) of the nested model it comes from."""
        if ref in inputs:
            return inputs[ref]
        node, _, port = ref.partition(":")
        relative = _relative(node, path)
        head = relative.split(".")[0]
        model = self.nested.get((*path, head))
        if "." in relative and model is not None and ref in model.outputs:
            index = model.outputs.index(ref)
            return head if index == 0 else f"{head}:{index}"
        return relative + (f":{port}" if port else "")


def _relative(name: str, path: tuple) -> str:
    prefix = ".".join(path) + "." if path else ""
    return name[len(prefix):] if prefix and name.startswith(prefix) else name


def _identifier(name: str) -> str:
    text = re.sub(r"\W", "_", name)
    return text if re.match(r"[A-Za-z_]", text) else f"m_{text}"
