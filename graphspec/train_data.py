"""The arrays `graphspec train` reads from an .npz: the inputs by name (`x` for a one-input model), the labels as
`y`, and optionally `sample_weight`."""
from __future__ import annotations

import difflib

import numpy as np

from .array_files import read_arrays
from .diagnostics import RunError


def read_data(path: str, input_names: list[str]):
    """(x, y, sample_weight or None) from an .npz: the inputs by name (or `x` for a one-input model), the labels as
    `y`, the sample weights as `sample_weight` where it holds them."""
    arrays = read_arrays(path, "training data")
    if isinstance(arrays, np.ndarray) or "y" not in arrays:
        raise RunError(f"{path} has no array 'y' (the labels): save it as np.savez(path, "
                       + ", ".join(input_names if len(input_names) > 1 else ["x"]) + "=..., y=...)")
    weights = arrays.get("sample_weight")
    _known_arrays(path, arrays, input_names)
    if len(input_names) == 1 and input_names[0] not in arrays and "x" in arrays:
        return arrays["x"], arrays["y"], weights
    missing = [n for n in input_names if n not in arrays]
    if missing:
        raise RunError(f"{path} has no array for input {', '.join(repr(n) for n in missing)}; it holds "
                       f"{', '.join(arrays)}")
    return {n: arrays[n] for n in input_names}, arrays["y"], weights


def _known_arrays(path: str, arrays: dict, input_names: list[str]) -> None:
    """An array graphspec does not read is most often a misspelt one (sample_weights), which would be left out."""
    known = [*input_names, *(["x"] if len(input_names) == 1 else []), "y", "sample_weight"]
    for name in arrays:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            raise RunError(f"{path} holds an array '{name}' that graphspec train does not read"
                           + (f"; did you mean '{close[0]}'?" if close else f"; it reads {', '.join(known)}"))
