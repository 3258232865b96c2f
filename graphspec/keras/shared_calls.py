"""A later call of a Keras layer as a shared use: the first call's layer and weights applied to other inputs, with
the tensors Keras passed to this call as keywords (initial_state=[h, c]). A keyword the first call's fields
already say the same of is left to them; one that would make this call differ is an error, never dropped."""
from __future__ import annotations

from ..diagnostics import Code
from ..layers import LAYERS
from .families import mapping_for
from .problems import Problems
from .topology import Call


def shared_use(call: Call, first: Call | None, problems: Problems, masks=frozenset()) -> dict:
    sources = [s for s in call.sources if isinstance(s, str)]
    use = {"shared": call.shares.replace("/", "_"), "name": call.name,
           "inputs": sources[0] if len(sources) == 1 else sources}
    references = getattr(LAYERS.get(call.class_name), "reference_fields", ())
    said = first.kwargs if first is not None else {}
    for key, value in call.kwargs.items():
        if key in references:
            use[key] = [ref.source for ref in value] if isinstance(value, list) else value.source
        elif key == "training" and value is False or key == "mask" and getattr(value, "source", None) in masks:
            continue
        elif key in mapping_for(call.class_name).call_fields and said.get(key, False) == value:
            continue
        else:
            shown = f"the output of '{value.source}'" if hasattr(value, "source") else repr(value)
            problems.error(Code.IMPORT_WIRING, call.name, f"{call.class_name} '{call.shares}' is called again with "
                           f"{key}={shown}, which a shared use cannot take: it runs with the first call's fields",
                           f"call the layer with the same {key} each time, or make two layers in Keras")
    return use
