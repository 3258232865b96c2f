"""Shared layers after shapes are known: one set of weights, owned by the first layer, fitting every input.

A shared copy whose input would need weights of other shapes is an error; otherwise the copy holds no weights
of its own (its parameters are counted once, at the owner), and a backend runs it with the owner's.
"""
from __future__ import annotations

from ..checked import CheckedGraph
from ..diagnostics import Code, Diagnostic, error


def _weights_text(weights: dict) -> str:
    return ", ".join(f"{name} {tuple(shape)}" for name, shape in weights.items()) or "no weights"


def share_weights(spec, wiring, infos: dict) -> list[Diagnostic]:
    """Marks each shared copy's node with its owner (`shares`), checks that the owner's weights fit its input,
    and takes the copy's own weight shapes and parameter counts away. Returns the errors."""
    shared = getattr(spec.document, "shared", None) or {}
    found = []
    for name, owner in shared.items():
        if name not in wiring.graph or owner not in infos:
            continue
        wiring.graph.nodes[name]["shares"] = owner
        info, owner_info = infos[name], infos[owner]
        if info.status == "ok" and owner_info.status == "ok" and info.weights != owner_info.weights:
            inputs = " and ".join(f"{infos[s].output} from '{s}'" for s in info.sources)
            where = spec.document.where(wiring.graph.nodes[name]["path"])
            found.append(error(Code.SHARED_SHAPES, f"shares the weights of '{owner}' ({_weights_text(owner_info.weights)}), "
                               f"but its input {inputs} would need {_weights_text(info.weights)}",
                               f"feed it an input shaped like the one '{owner}' reads "
                               f"({', '.join(str(infos[s].output) for s in owner_info.sources)})", **where, layer=name))
            info.status = "error"
        info.weights, info.trainable_params, info.non_trainable_params = {}, 0, 0
    return found


def weight_owner(graph: CheckedGraph, name: str) -> str:
    """The layer whose weights `name` runs with: itself, or the layer it shares them with."""
    return graph.graph.nodes[name].get("shares", name) if name in graph.graph else name
