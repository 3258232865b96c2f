"""Warnings for models that are legal but almost surely not what their author means.

A softmax over one value (always 1), an activation Keras 3.15 computes wrongly (sparsemax), and a classifier whose output still has image or time axes because a
Flatten or a global pooling was forgotten. Both read shapes the inference already found.
"""
from __future__ import annotations

import networkx as nx

from .checked import LayerInfo
from .diagnostics import Code
from .layers.base import LAYERS, Layer
from .layers.dense import Dense
from .types import format_shape

_AXES = {3: "a steps axis", 4: "height and width axes", 5: "depth, height and width axes"}


def _softmax_axes(layer: Layer) -> tuple[int, ...]:
    """The axes a layer's softmax normalises: the last for activation: softmax (Dense, Conv, Activation...), a
    Softmax layer's `axis` (one or a list)."""
    if getattr(layer, "activation", None) in ("softmax", "log_softmax"):
        return (-1,)
    if layer.kind == "Softmax":
        axis = getattr(layer, "axis", -1)
        return tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    return ()


def softmax_of_one(layer: Layer, shape: tuple) -> list[tuple]:
    """(code, message, hint) when every axis the layer's softmax normalises has size 1."""
    axes = _softmax_axes(layer)
    if not axes or not all(-len(shape) <= a < len(shape) and shape[a] == 1 for a in axes):
        return []
    log = getattr(layer, "activation", None) == "log_softmax"
    return [(Code.SOFTMAX_OF_ONE, f"a {'log_' * log}softmax over an axis of size 1 is always {'0' if log else '1'}: "
             f"the output {format_shape(shape)} says nothing about the input",
             "did you mean sigmoid? A softmax needs 2 or more classes on its axis")]


def keras_computes_otherwise(layer: Layer) -> list[tuple]:
    """(code, message, hint) for an activation graphspec computes as defined where Keras 3.15 does not."""
    if getattr(layer, "activation", None) != "sparsemax":
        return []
    return [(Code.KERAS_DIFFERS, "sparsemax: Keras 3.15 computes it wrongly wherever more than one value survives "
             "(keras-team/keras#23425, fixed upstream by #23469); graphspec computes it as defined, so the numbers "
             "differ from Keras 3.15's", "compare with a Keras release that has the fix; where Keras 3.15's numbers "
             "must be matched, use softmax")]


def mask_dropped_by_keras(layer: Layer, sources: list[str], infos: dict[str, LayerInfo]) -> list[tuple]:
    """Keras 3 fills a layer's mask only when it is called on one tensor: given initial_state too, a recurrent
    layer ignores its sequence's mask there, where graphspec (as Keras 2 did) skips the masked steps."""
    if not layer.references().get("initial_state") or not _may_carry_mask(sources[0], infos):
        return []
    return [(Code.KERAS_DIFFERS, f"{layer.kind} with initial_state skips the masked steps of its sequence; Keras 3 "
             "ignores that mask when the layer is called with initial_state unless it is passed as mask=, so a "
             "Keras 3 model built from this spec without it computes otherwise", "in Keras 3, call the layer with "
             "mask= (the mask of its sequence) as well as initial_state", "initial_state")]


def _may_carry_mask(ref: str, infos: dict[str, LayerInfo]) -> bool:
    """Whether a mask_zero or Masking mask may reach this tensor through layers that pass masks on."""
    info = infos.get(ref)
    layer = None if info is None else info.layer
    if layer is None:
        return False
    if getattr(layer, "mask_zero", False) or layer.kind == "Masking":
        return True
    passes = layer.supports_masking and getattr(layer, "return_sequences", True)
    return passes and len(info.sources) >= 1 and _may_carry_mask(info.sources[0], infos)


def _squashing(layer: Layer) -> str | None:
    if layer.kind == "Softmax":
        return "softmax"
    activation = getattr(layer, "activation", None)
    return activation if activation in ("softmax", "sigmoid") else None


def _classifier_head(name: str, infos: dict[str, LayerInfo]) -> str | None:
    """The Dense behind an output squashed by softmax or sigmoid, itself or through an Activation (or Softmax)
    layer, when that output keeps axes between the batch and the classes."""
    info = infos[name]
    if info.status != "ok" or info.output.rank < 3 or _squashing(info.layer) is None:
        return None
    if isinstance(info.layer, Dense):
        return name
    source = info.sources[0] if len(info.sources) == 1 and not info.weights else None
    return source if source is not None and isinstance(infos[source].layer, Dense) else None


def _unpooled(rank: int, upstream: list[LayerInfo]) -> bool:
    """Whether a softmax/sigmoid Dense with an output of `rank` is most likely missing a Flatten or global pooling:
    image axes (rank 4 or more), or a steps axis made by convolution or pooling; unless the steps come from a
    sequence model (an Embedding or a return_sequences layer upstream) that no pooling shortened: sequence tagging."""
    sequence = any(getattr(i.layer, "return_sequences", False) or i.layer.dtype_rule == "index" for i in upstream)
    shortened = any(hasattr(i.layer, "pool_size") and i.output.rank == 3 for i in upstream)
    windows = any(hasattr(i.layer, "kernel_size") or hasattr(i.layer, "pool_size") for i in upstream)
    return (rank >= 4 or windows) and not (sequence and not shortened)


def unpooled_output(name: str, infos: dict[str, LayerInfo], graph: nx.DiGraph) -> tuple[str, str, str] | None:
    """(the Dense to point at, message, hint) for the output `name` of a classifier that forgot to Flatten."""
    head = _classifier_head(name, infos)
    if head is None:
        return None
    upstream = [infos[n] for n in nx.ancestors(graph, head) if infos[n].layer is not None]
    output = infos[name].output
    if not _unpooled(output.rank, upstream):
        return None
    n = output.rank - 2
    pool = f"GlobalAveragePooling{n}D" if f"GlobalAveragePooling{n}D" in LAYERS else "global pooling"
    conv = f"a Conv{n}D head with kernel_size 1" if f"Conv{n}D" in LAYERS else "a convolution head"
    squash = _squashing(infos[name].layer)
    what = f"this {squash} Dense" if head == name else f"this Dense, through the {squash} of '{name}',"
    message = (f"the model's output {output} still has {_AXES.get(output.rank, 'spatial axes')}: {what} gives one "
               "prediction per position, not one per sample")
    hint = (f"Flatten or global pooling missing? Put Flatten or {pool} before '{head}'. For one prediction per "
            f"position on purpose, use {conv} (per-step outputs after an Embedding or a return_sequences layer are "
            "not flagged)")
    return head, message, hint
