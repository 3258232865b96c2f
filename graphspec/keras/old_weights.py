"""Weights of Keras 1 files and of Theano-saved files, converted as Keras 2's loader converted them
(keras/engine/saving.py, preprocess_weights_for_loading), so that they mean in graphspec what they meant in Keras:

- a Keras 1 file: each family's keras1_weights (conv kernels kept in the th layout transposed to Keras 2's, a weight
  per gate joined into one kernel, recurrent kernel and bias); a wrapper's halves converted as its inner layer's;
- a file whose backend attribute says Theano: Conv1D/2D/3D and Conv2DTranspose kernels flipped on their spatial
  axes (Keras's convert_kernel), since Theano convolves where TensorFlow and graphspec correlate. A Keras 1 file
  recorded no backend, so Keras 2 loaded its kernels unflipped, and so does graphspec.
"""
from __future__ import annotations

import numpy as np

from .families import mapping_for
from .families.conv import THEANO_FLIPPED


def converted(class_name: str, config: dict, arrays: list, keras1: bool, backend: str | None) -> list:
    """[(name, array)] as Keras 2 would have loaded them; unchanged (with their names) where nothing applies."""
    values = _values(class_name, config, [a for _, a in arrays], keras1, backend)
    return arrays if values is None else [(None, v) for v in values]


def _values(class_name: str, config: dict, values: list, keras1: bool, backend: str | None) -> list | None:
    inner = config.get("layer")
    if class_name in ("Bidirectional", "TimeDistributed") and isinstance(inner, dict):
        kind, inner_config = str(inner.get("class_name")), inner.get("config") or {}
        halves = [values[:len(values) // 2], values[len(values) // 2:]] if class_name == "Bidirectional" else [values]
        parts = [_values(kind, inner_config, half, keras1, backend) for half in halves]
        return None if all(p is None for p in parts) else \
            [v for p, half in zip(parts, halves) for v in (half if p is None else p)]
    mapping = mapping_for(class_name)
    changed = mapping.keras1_weights(values, config) if keras1 and mapping.keras1_weights and values else None
    kind = mapping.renamed_class if isinstance(mapping.renamed_class, str) else class_name
    if backend == "theano" and kind in THEANO_FLIPPED and values:
        changed = changed or list(values)
        changed[0] = _flipped(changed[0])
    return changed


def _flipped(kernel: np.ndarray) -> np.ndarray:
    """Keras's convert_kernel: reversed along every axis but the last two (in and out channels)."""
    return np.ascontiguousarray(kernel[(slice(None, None, -1),) * (kernel.ndim - 2)])


def keras1_conv(class_name: str) -> bool:
    """Whether a Keras 1 layer holds a convolution kernel whose backend (Theano or TensorFlow) the file does not say."""
    mapping = mapping_for(class_name)
    return isinstance(mapping.renamed_class, str) and mapping.renamed_class in THEANO_FLIPPED
