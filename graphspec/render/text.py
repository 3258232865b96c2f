"""The words on a diagram, the same in every output format: what a node, an edge, a group and the title say.

A node's text is a list of fields, each a list of lines; writers draw fields as the boxes of a record.
"""
from __future__ import annotations

import textwrap

from ..checked import CheckedGraph, LayerInfo
from ..diagnostics import Diagnostic
from ..layers.primitives import Primitive
from ..types import TensorType, format_shape

WRAP = 48  # characters per line of a message, so that a long error does not make its node the width of the page


def tensor_text(tensor: TensorType) -> str:
    return f"{tensor} {tensor.dtype}"


def params_text(info: LayerInfo) -> str:
    text = f"{info.params:,} params"
    if not info.layer.trainable and info.params:
        return f"{text}, frozen"
    return text + (f" ({info.non_trainable_params:,} non-trainable)" if info.non_trainable_params else "")


def wrap(line: str) -> list[str]:
    """A line cut at spaces into lines of at most WRAP characters (a longer word stays whole)."""
    return textwrap.wrap(line, WRAP, break_long_words=False, break_on_hyphens=False) or [line]


def message_lines(diagnostic: Diagnostic) -> list[str]:
    return wrap(f"{diagnostic.severity.value}[{diagnostic.code.value}]: {diagnostic.message}")


def title(graph: CheckedGraph, name: str) -> str:
    layer = graph.nodes[name].layer
    if layer is None:
        return f"{name}: Input"
    return f"{name}: {layer.kind}" + (" (output)" if name in graph.output_nodes else "")


def about(graph: CheckedGraph, name: str, fans_out: bool = False) -> list[list[str]]:
    """Title, key arguments, output shape and parameters: what is known of a node. An input's tensor, or one
    that feeds several arrows (which then carry no label), is written in full, with its dtype."""
    info = graph.nodes[name]
    fields = [[title(graph, name)]]
    if info.layer is not None and info.layer.describe():
        fields.append(wrap(info.layer.describe()))
    if len(info.outputs) > 1:  # each output named, as references read them
        fields.append([f"{port}: {tensor}" for port, tensor in info.outputs.items()])
    elif info.output is not None:
        fields.append([tensor_text(info.output) if info.layer is None or fans_out else str(info.output)])
    if info.layer is not None and info.status == "ok":
        fields.append([params_text(info)])
    if info.status == "skipped":
        fields.append(["not checked: an input before it failed"])
    return fields


def node_fields(graph: CheckedGraph, name: str, notes: list[Diagnostic], fans_out: bool = False) -> list[list[str]]:
    return about(graph, name, fans_out) + [message_lines(d) for d in notes]


def primitive_fields(op: Primitive) -> list[list[str]]:
    weights = [f"{weight} {format_shape(shape)}" for weight, shape in op.weights.items()]
    return [field for field in (wrap(op.label), weights, wrap(op.note) if op.note else []) if field]


def params_total(graph: CheckedGraph) -> str:
    """The model's parameter totals; when layers failed, what their sum leaves out, as it is no model's count."""
    frozen = f", {graph.non_trainable_params:,} non-trainable" if graph.non_trainable_params else ""
    counts = f"{graph.total_params:,} params, {graph.trainable_params:,} trainable{frozen}"
    uncounted = sum(graph.nodes[name].status != "ok" for name in graph.layer_names())
    if not uncounted:
        return counts
    if uncounted == len(graph.layer_names()):
        return "params unknown: no layer checked"
    return f"partial count: {counts}; {uncounted} layer{'s' * (uncounted != 1)} not counted"


def title_lines(graph: CheckedGraph, loose: list[Diagnostic]) -> list[str]:
    """The model's name and parameter totals; the problems that belong to no node, so they are seen too."""
    lines = [graph.name, params_total(graph)]
    errors = len(graph.errors)
    if errors:
        lines.append(f"{errors} error{'s' * (errors != 1)}: not a valid model")
    return lines + [line for d in loose for line in message_lines(d)]
