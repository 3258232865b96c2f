"""Expanding blocks and checking gives the graph that checking the same model written out by hand gives: every
layer with the same type, inputs, output shape and parameter count (the hand-written names use '__' for '/',
which a written name may not hold)."""
from __future__ import annotations

import yaml
from hypothesis import given, settings, strategies as st

import graphspec

BLOCKS = {
    "unit": {"params": ["units", {"act": "relu"}], "layers": [
        {"type": "Dense", "name": "fc", "units": "$units", "activation": "$act"},
        {"type": "LayerNormalization", "name": "norm"}]},
    "pair": {"params": ["units"], "inputs": ["x"], "layers": [
        {"block": "unit", "name": "a", "inputs": "x", "units": "$units"},
        {"type": "Dense", "name": "skip", "inputs": "x", "units": "$(units * 1)"},
        {"type": "Add", "name": "add", "inputs": ["a", "skip"]}]},
}
item = st.tuples(st.sampled_from(["dense", "unit", "pair"]), st.integers(1, 9), st.sampled_from(["relu", "tanh"]),
                 st.integers(1, 3), st.booleans())


def by_hand(kind: str, name: str, units: int, act: str, source: str) -> tuple[list[dict], str]:
    """The layers an item stands for, written out, and the name its readers read."""
    if kind == "dense":
        return [{"type": "Dense", "name": name, "units": units, "activation": act, "inputs": source}], name
    if kind == "unit":
        return [{"type": "Dense", "name": f"{name}__fc", "units": units, "activation": act, "inputs": source},
                {"type": "LayerNormalization", "name": f"{name}__norm", "inputs": f"{name}__fc"}], f"{name}__norm"
    inner, out = by_hand("unit", f"{name}__a", units, "relu", source)
    return [*inner, {"type": "Dense", "name": f"{name}__skip", "units": units, "inputs": source},
            {"type": "Add", "name": f"{name}__add", "inputs": [out, f"{name}__skip"]}], f"{name}__add"


def written(kind: str, name: str, units: int, act: str, times: int, varying: bool) -> dict:
    count = f"$({units} + i)" if varying and times > 1 else units
    fields = {"type": "Dense", "activation": act} if kind == "dense" else {"block": kind}
    fields |= {"act": act} if kind == "unit" else {}
    return {**fields, "name": name, "units": count, **({"repeat": times} if times > 1 else {})}


def specs(items) -> tuple[str, str]:
    blocks, flat, source = [], [], "x"
    for k, (kind, units, act, times, varying) in enumerate(items):
        blocks.append(written(kind, f"item{k}", units, act, times, varying))
        for copy in range(1, times + 1):
            name = f"item{k}_{copy}" if times > 1 else f"item{k}"
            layers, source = by_hand(kind, name, units + copy if varying and times > 1 else units, act, source)
            flat += layers
    head = {"inputs": {"x": {"shape": [5]}}}
    return (yaml.safe_dump({"graphspec": 2, **head, "blocks": BLOCKS, "layers": blocks}),
            yaml.safe_dump({"graphspec": 1, **head, "layers": flat, "outputs": source}))


def layers_of(graph) -> dict:
    return {name.replace("/", "__"): (info.layer.kind, [s.replace("/", "__") for s in info.sources],
                                      info.output.shape, info.params) for name, info in graph.nodes.items()
            if info.layer is not None}


@settings(max_examples=30, deadline=None)
@given(st.lists(item, min_size=1, max_size=5))
def test_expanding_blocks_checks_as_the_hand_expanded_spec(items):
    with_blocks, hand_written = specs(items)
    expanded, flat = graphspec.check(graphspec.loads(with_blocks)), graphspec.check(graphspec.loads(hand_written))
    assert layers_of(expanded) == layers_of(flat)
    assert expanded.total_params == flat.total_params
    assert [o.replace("/", "__") for o in expanded.outputs] == flat.outputs
