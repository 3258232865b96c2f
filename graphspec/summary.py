"""A model summary laid out like Keras's model.summary(), read off the checked graph."""
from __future__ import annotations

from .blocks import fold
from .checked import CheckedGraph

_HEADER = ["Layer (type)", "Output Shape", "Dtype", "Param #", "MACs", "Connected to"]
_MIN_WIDTH = [30, 22, 9, 12, 12, 12]
_COLUMNS = 5  # without "Connected to", which only a graph that is not a chain shows


def human_bytes(count: int) -> str:
    size, units = float(count), ["B", "KB", "MB", "GB", "TB"]
    while size >= 1024 and len(units) > 1:
        size /= 1024
        units.pop(0)
    return f"{size:.2f} {units[0]}"


def human_count(count: int) -> str:
    """12.35 M: a count in thousands, millions (M), billions (G) or trillions (T), as torchinfo and papers write MACs."""
    for unit, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if count >= scale:
            return f"{count / scale:.2f} {unit}"
    return str(count)


def work_lines(graph: CheckedGraph) -> list[str]:
    """Multiply-adds per sample, and FLOPs counted as two per multiply-add (a multiply and an add): papers use both
    words, often for the same number, so the table says which it prints."""
    macs = graph.macs

    def amount(count) -> str:  # a count in named sizes (8,192 * T) has no one magnitude
        return f"{count:,} ({human_count(count)})" if isinstance(count, int) else f"{count:,}"
    return [f"Total MACs: {amount(macs)} per sample", f"FLOPs (2 × MACs): {amount(2 * macs)} per sample"]


def size_lines(graph: CheckedGraph) -> list[str]:
    """What a run must meet where sizes are named: each derived size at least 1 (T >= 3 for a T - 2)."""
    from .dim_binding import size_constraints
    return [f"A run needs {condition} ({layer} outputs {size})"
            for condition, (layer, size) in size_constraints(graph).items()]


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
    cells = [f"{name} ({kind})", shape, output.dtype if output else "", params, f"{info.macs:,}"]
    return cells if chain else [*cells, ", ".join(info.sources)]


def _shapes(info) -> str:
    """One output's shape; a layer's several outputs as Keras lists them, [(None, 10, 64), (None, 64), ...]."""
    shapes = [str(tensor) for tensor in info.outputs.values()]
    return shapes[0] if len(shapes) == 1 else f"[{', '.join(shapes)}]"


def _input_text(graph: CheckedGraph, name: str) -> str:
    """'image (None, 28, 28, 1) float32', or the input's name and 'error' where its declaration was refused."""
    output = graph.nodes[name].output
    return f"{name} {output} {output.dtype}" if output else f"{name} error"


def _group_cells(graph: CheckedGraph, unit, chain: bool, shown: dict[str, str]) -> list[str]:
    """A block use or repeat: its output (a repeat's first and last copy's), the parameters of all it holds."""
    infos = [graph.nodes[name] for name in unit.layers if name in graph.nodes]
    name = f"{'  ' * unit.level}{unit.name} ({fold.label(unit.group)})"
    params, macs = f"{sum(info.params for info in infos):,}", f"{sum(info.macs for info in infos):,}"
    if unit.opened:
        return [name, "", "", params, macs] + ([] if chain else [""])
    tensors = fold.group_outputs(graph, unit.group)
    failed = any(info.status != "ok" for info in infos) or None in tensors
    shape = "?" if failed else " … ".join(dict.fromkeys(str(t) for t in tensors))
    sources = dict.fromkeys(shown.get(source, source) for source in fold.outside_sources(graph, unit))
    cells = [name, shape, "" if failed else tensors[-1].dtype, params, macs]
    return cells if chain else [*cells, ", ".join(sources)]


def _unit_cells(graph: CheckedGraph, unit, chain: bool, shown: dict[str, str]) -> list[str]:
    if unit.group is not None:
        return _group_cells(graph, unit, chain, shown)
    cells = _cells(graph, unit.name, chain)
    cells[0] = "  " * unit.level + cells[0]
    owner = graph.graph.nodes[unit.name].get("shares")
    cells[3] += f" (shares {owner})" if owner else ""
    if not chain and shown:  # a spec with blocks: a source inside a folded group is named by the group
        cells[-1] = ", ".join(dict.fromkeys(shown.get(s, s) for s in graph.nodes[unit.name].sources))
    return cells


def format_summary(graph: CheckedGraph, depth: int | None = 1) -> str:
    """Keras's model.summary(); a spec with blocks is folded to `depth` levels of block uses (None: none folded)."""
    chain = _is_chain(graph)
    shown = fold.units(graph, depth)
    owners = fold.visible(shown) if fold.block_tree(graph) is not None else {}
    table = [] if chain else [_cells(graph, name, chain) for name in graph.inputs]
    table += [_unit_cells(graph, unit, chain, owners) for unit in shown]
    header = _HEADER[:_COLUMNS] if chain else _HEADER
    widths = [max([minimum, *(len(row[i]) + 2 for row in table)]) for i, minimum in enumerate(_MIN_WIDTH[:len(header)])]
    rows = [_row(cells, widths) for cells in table]
    total = sum(widths) + len(widths) - 1
    lines = [f'Model: "{graph.name}"', "_" * total, _row(header, widths), "=" * total]
    for i, row in enumerate(rows):
        lines += [row, "_" * total if i < len(rows) - 1 else "=" * total]
    lines += [f"Total params: {graph.total_params:,} ({human_bytes(4 * graph.total_params)})",
              f"Trainable params: {graph.trainable_params:,} ({human_bytes(4 * graph.trainable_params)})",
              f"Non-trainable params: {graph.non_trainable_params:,} ({human_bytes(4 * graph.non_trainable_params)})",
              *work_lines(graph), *size_lines(graph), "_" * total]
    if chain and graph.inputs:
        lines.insert(1, f"Input: {', '.join(_input_text(graph, n) for n in graph.inputs)}")
    return "\n".join(lines)
