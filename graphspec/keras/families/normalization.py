"""BatchNormalization: Keras 1's mode (only 0, per-feature at inference, is Keras 3's) and Keras 2's axis as a
one-element list. Keras 1's weights gamma, beta, running_mean, running_std need no conversion: despite its name
running_std held the running variance (Keras 1 kept the batch variance's moving average there and passed it to
K.batch_normalization as the variance), and Keras 2's loader read it as moving_variance unchanged."""
from __future__ import annotations

from . import Mapping, register


def _batch_norm(config: dict, notes) -> dict:
    config = dict(config)
    if isinstance(config.get("axis"), list) and len(config["axis"]) == 1:
        config["axis"] = config["axis"][0]
    return config


def _keras_axis(fields: dict) -> dict:
    axis = fields.get("axis")
    return {**fields, "axis": axis[0] if isinstance(axis, list) else axis}


register(Mapping(modernize=_batch_norm, inert={"mode": [0], "renorm": [False], "renorm_clipping": [None],
                                                "renorm_momentum": [0.99], "synchronized": [False]},
                 keras_fields=_keras_axis), "BatchNormalization")
register(Mapping(inert={"rms_scaling": [False]}), "LayerNormalization")
