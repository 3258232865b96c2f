"""The order in which Keras 3 lists a Functional model's layers (keras/src/models/functional.py, map_graph), which
is the order its archive numbers their variables in (layers/dense, layers/dense_1, ...): layers by decreasing
depth from the outputs, ties in the order a depth-first walk back from the outputs first meets them. An export
writes its config and weights in this order, so that Keras reads each array into the layer it belongs to.
"""
from __future__ import annotations


def _tensors(value) -> list[list]:
    """The keras_history of each tensor in a call's arguments, flattened as Keras's tree.flatten does (a mapping
    by sorted key)."""
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        return [value["config"]["keras_history"]]
    if isinstance(value, dict):
        return [h for key in sorted(value) for h in _tensors(value[key])]
    if isinstance(value, (list, tuple)):
        return [h for item in value for h in _tensors(item)]
    return []


def _histories(refs: list) -> list[list]:
    """Keras writes one model input or output as [layer, node, tensor] and several as a list of them."""
    return [refs] if refs and isinstance(refs[0], str) else refs


def keras_order(config: dict) -> list[str]:
    """The layer names of a Functional config (its "config" mapping) in Keras 3's model.layers order."""
    records = {record["name"]: record for record in config["layers"]}

    def parents(layer: str, node: int) -> list[tuple]:
        nodes = records[layer]["inbound_nodes"]
        if not nodes:
            return []
        return [(h[0], h[1]) for h in _tensors([nodes[node].get("args", []), nodes[node].get("kwargs", {})])]

    met, finished, walked = {}, set(), []

    def walk(layer: str, node: int) -> None:
        if (layer, node) in finished:
            return
        met.setdefault(layer, len(met))
        for parent in parents(layer, node):
            walk(*parent)
        finished.add((layer, node))
        walked.append((layer, node))

    for history in _histories(config["output_layers"]):
        walk(history[0], history[1])
    node_depth, layer_depth = {}, {}
    for key in reversed(walked):
        depth = max(node_depth.setdefault(key, 0), layer_depth.get(key[0], 0))
        layer_depth[key[0]] = node_depth[key] = depth
        for parent in parents(*key):
            node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    for history in _histories(config["input_layers"]):
        if history[0] not in layer_depth:
            layer_depth[history[0]], met[history[0]] = 0, -1
    return sorted(layer_depth, key=lambda name: (-layer_depth[name], met[name]))
