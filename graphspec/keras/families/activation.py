"""Activation layers: Keras 2's LeakyReLU alpha is Keras 3's negative_slope; ThresholdedReLU is ReLU's threshold."""
from __future__ import annotations

from . import Mapping, register


def _leaky(config: dict, notes) -> dict:
    config = dict(config)
    if "alpha" in config and "negative_slope" not in config:
        config["negative_slope"] = config.pop("alpha")
        notes.add("LeakyReLU alpha read as negative_slope", config.get("name", "?"))
    return config


def _keras_leaky(fields: dict) -> dict:
    alpha = fields.pop("alpha", None)
    return fields if alpha is None else {**fields, "negative_slope": alpha}


register(Mapping(modernize=_leaky, keras_fields=_keras_leaky, inert={"alpha": None}), "LeakyReLU")
register(Mapping(renames={"theta": "threshold"}, renamed_class="ReLU"), "ThresholdedReLU")
register(Mapping(renames={"init": "alpha_initializer"}), "PReLU")
register(Mapping(renames={"length": "size"}), "UpSampling1D")
