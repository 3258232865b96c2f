"""SimpleRNN, LSTM and GRU: Keras 1's names, its forget_bias_init, and GRU's reset_after, which Keras 1 and 2 did
not have or defaulted to false (the reset-before form); their variables live in the layer's cell."""
from __future__ import annotations

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


RENAMES = {"output_dim": "units", "init": "kernel_initializer"}
register(Mapping(RENAMES, _recurrent, weights_path="cell/vars"), "SimpleRNN", "LSTM")
register(Mapping(RENAMES, _gru, weights_path="cell/vars"), "GRU")
register(Mapping(RENAMES, _recurrent, renamed_class="LSTM"), "CuDNNLSTM")
register(Mapping(RENAMES, _gru, renamed_class="GRU"), "CuDNNGRU")
