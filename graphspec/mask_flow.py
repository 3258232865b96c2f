"""Which tensors may carry a Keras mask, read statically from the checked layers (what the NumPy kernels'
output_mask does at run time): an Embedding with mask_zero or a Masking layer makes one; a layer that supports
masking passes its first input's on (a merge only when every input has one, Concatenate when any has); any other
drops it. Used for a warning where Keras 3.15 loses a mask that graphspec keeps."""
from __future__ import annotations

from .checked import LayerInfo
from .diagnostics import Code

_FIRST_INPUTS = {"Attention", "AdditiveAttention", "MultiHeadAttention"}  # the query's mask is the output's


def masked_tensors(order: list[str], infos: dict[str, LayerInfo]) -> set[str]:
    masked: set[str] = set()
    for name in order:
        info = infos[name]
        layer = info.layer
        if layer is None or info.status != "ok" or not info.sources and not getattr(layer, "mask_zero", False):
            continue
        if getattr(layer, "mask_zero", False) or layer.kind == "Masking":
            masked.add(name)
        elif layer.supports_masking:
            has = [source in masked for source in info.sources]
            multi = layer.max_inputs != 1 and layer.kind not in _FIRST_INPUTS
            if (any(has) if layer.kind == "Concatenate" else all(has) if multi else has[0]):
                masked.add(name)
    return masked


def mask_deleted_by_attention(order: list[str], infos: dict[str, LayerInfo]) -> list[tuple[str, Code, str, str]]:
    """(layer, code, message, hint) for each MultiHeadAttention reading a masked tensor that another one reads too:
    Keras 3.15's MultiHeadAttention deletes the masks of the tensors it is called on, so in a Keras model the one
    called second sees none."""
    masked, readers, found = masked_tensors(order, infos), {}, []
    for name in order:
        info = infos[name]
        if info.layer is None or info.layer.kind != "MultiHeadAttention" or info.status != "ok":
            continue
        for source in dict.fromkeys(info.sources):
            if source in masked and source in readers:
                found.append((name, Code.KERAS_DIFFERS, f"'{source}' carries a mask, which graphspec applies here, "
                              f"but in Keras 3.15 MultiHeadAttention deletes the masks of the tensors it reads, so "
                              f"after '{readers[source]}' read it, this layer would see '{source}' unmasked",
                              "the numbers differ from Keras 3.15's where the mask hides steps; to match them, "
                              "give each attention its own masked input (an Embedding each, say)"))
            readers.setdefault(source, name)
    return found
