"""A model summary laid out like Keras's model.summary(), read off the checked graph."""
from __future__ import annotations

from .checked import CheckedGraph

_HEADER = ["Layer (type)", "Output Shape", "Dtype", "Param #", "Connected to"]
_MIN_WIDTH = [30, 22, 9, 12, 12]


def human_bytes(count: int) -> str:
    size, units = float(count), ["B", "KB", "MB", "GB", "TB"]
    while size >= 1024 and len(units) > 1:
        size /= 1024
        units.pop(0)
    return f"{size:.2f} {units[0]}"


def _is_chain(graph: CheckedGraph) -> bool:
    return all(len(info.sources) <= 1 for info in graph.nodes.values()) and len(graph.inputs) <= 1


def _row(cells: list[str], widths: list[int]) -> str:
    return " ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()


def _cells(graph: CheckedGraph, name: str, chain: bool) -> list[str]:
    info = graph.nodes[name]
    kind = "InputLayer" if info.layer is None else info.layer.kind
    output = info.output
    shape = _shapes(info) if output else {"error": "error", "skipped": "?"}.get(info.status, "?")
    params = f"{info.params:,}" + (" (frozen)" if info.layer is not None and not info.layer.trainable else "")
    cells = [f"{name} ({kind})", shape, output.dtype if output else "", params]
    return cells if chain else [*cells, ", ".join(info.sources)]


def _shapes(info) -> str:
    """One output's shape; a layer's several outputs as Keras lists them, [(None, 10, 64), (None, 64), ...]."""
    shapes = [str(tensor) for tensor in info.outputs.values()]
    return shapes[0] if len(shapes) == 1 else f"[{', '.join(shapes)}]"


def _input_text(graph: CheckedGraph, name: str) -> str:
    """'image (None, 28, 28, 1) float32', or the input's name and 'error' where its declaration was refused."""
    output = graph.nodes[name].output
    return f"{name} {output} {output.dtype}" if output else f"{name} error"


def format_summary(graph: CheckedGraph) -> str:
    chain = _is_chain(graph)
    names = graph.layer_names() if chain else [*graph.inputs, *graph.layer_names()]
    table = [_cells(graph, name, chain) for name in names]
    header = _HEADER[:4] if chain else _HEADER
    widths = [max([minimum, *(len(row[i]) + 2 for row in table)]) for i, minimum in enumerate(_MIN_WIDTH[:len(header)])]
    rows = [_row(cells, widths) for cells in table]
    total = sum(widths) + len(widths) - 1
    lines = [f'Model: "{graph.name}"', "_" * total, _row(header, widths), "=" * total]
    for i, row in enumerate(rows):
        lines += [row, "_" * total if i < len(rows) - 1 else "=" * total]
    lines += [f"Total params: {graph.total_params:,} ({human_bytes(4 * graph.total_params)})",
              f"Trainable params: {graph.trainable_params:,} ({human_bytes(4 * graph.trainable_params)})",
              f"Non-trainable params: {graph.non_trainable_params:,} ({human_bytes(4 * graph.non_trainable_params)})",
              "_" * total]
    if chain and graph.inputs:
        lines.insert(1, f"Input: {', '.join(_input_text(graph, n) for n in graph.inputs)}")
    return "\n".join(lines)
