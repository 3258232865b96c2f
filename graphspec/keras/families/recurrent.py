"""SimpleRNN, LSTM and GRU: Keras 1's names, its forget_bias_init, and GRU's reset_after, which Keras 1 and 2 did
not have or defaulted to false (the reset-before form); their variables live in the layer's cell. Keras 1 kept a
weight per gate, joined here as Keras 2's loader joined them."""
from __future__ import annotations

import numpy as np

from . import Mapping, register


def _recurrent(config: dict, notes) -> dict:
    config = dict(config)
    name = config.get("name", "?")
    if "forget_bias_init" in config:
        start = config.pop("forget_bias_init")
        config["unit_forget_bias"] = start == "one"
        notes.add(f"forget_bias_init {start} read as unit_forget_bias {start == 'one'}", name)
    return config


def _gru(config: dict, notes) -> dict:
    config = _recurrent(config, notes)
    if "reset_after" not in config:
        config["reset_after"] = False
        notes.add("GRU without reset_after read as reset_after false (Keras 1 and 2's reset-before form)",
                  config.get("name", "?"))
    return config


def _keras1_gates(order: tuple[int, ...]):
    """Keras 1 kept W_g, U_g, b_g per gate g; Keras 2 joined them into kernel, recurrent_kernel and bias, taking
    the file's gates in `order` (LSTM: the file's i c f o as i f c o; GRU: z r h as they are)."""
    def join(arrays: list, config: dict) -> list:
        if len(arrays) != 3 * len(order):
            return arrays
        return [np.concatenate([arrays[3 * gate + part] for gate in order], axis=-1) for part in range(3)]
    return join


RENAMES = {"output_dim": "units", "init": "kernel_initializer"}
register(Mapping(RENAMES, _recurrent, weights_path="cell/vars"), "SimpleRNN")
register(Mapping(RENAMES, _recurrent, weights_path="cell/vars", keras1_weights=_keras1_gates((0, 2, 1, 3))), "LSTM")
register(Mapping(RENAMES, _gru, weights_path="cell/vars", keras1_weights=_keras1_gates((0, 1, 2))), "GRU")
register(Mapping(RENAMES, _recurrent, renamed_class="LSTM"), "CuDNNLSTM")
register(Mapping(RENAMES, _gru, renamed_class="GRU"), "CuDNNGRU")
