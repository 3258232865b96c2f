"""Bidirectional's several outputs in the NumPy kernel: merge_mode null gives what concat joins, return_state the
last states of each direction, initial_state split in half between them, and the mask on both null outputs."""
import numpy as np
from support import assert_close, build

IDS = np.array([[3, 1, 4, 0, 0], [0, 0, 6, 2, 3]], np.int32)
EMB = {"type": "Embedding", "name": "emb", "input_dim": 7, "output_dim": 3, "mask_zero": True}
INPUTS = {"ids": {"shape": [5], "dtype": "int32"}}


def run(bi: dict, extra=(), outputs=None, seed=0):
    model, _ = build([EMB, {"type": "Bidirectional", "name": "bi", "inputs": "emb", **bi}, *extra], INPUTS,
                     outputs, seed)
    return model(IDS)


def test_merge_mode_null_gives_what_concat_joins():
    inner = {"type": "LSTM", "units": 2, "return_sequences": True}
    both = run({"layer": inner, "merge_mode": None}, outputs=["bi", "bi:backward"])
    joined = run({"layer": inner})
    assert_close(np.concatenate([both["bi"], both["bi:backward"]], -1), joined.astype(np.float64))


def test_return_state_gives_the_last_states_each_way():
    """An LSTM's last h is its output without return_sequences; the backward one reads from the end."""
    got = run({"layer": {"type": "LSTM", "units": 2, "return_state": True}},
              outputs=["bi", "bi:forward_state_h", "bi:forward_state_c", "bi:backward_state_h", "bi:4"])
    assert sorted(got) == ["bi", "bi:backward_state_c", "bi:backward_state_h", "bi:forward_state_c",
                           "bi:forward_state_h"]  # bi:4 is read as the name it has
    assert_close(got["bi"], np.concatenate([got["bi:forward_state_h"], got["bi:backward_state_h"]], -1)
                 .astype(np.float64))
    assert not np.allclose(got["bi:backward_state_c"], got["bi:forward_state_c"])


def test_initial_state_goes_forward_then_backward():
    """States of zeros are the default; a nonzero backward state changes only the backward output."""
    states = [{"type": "Dense", "name": f"s{i}", "inputs": "flat", "units": 2, "use_bias": False} for i in range(2)]
    extra = [{"type": "GlobalAveragePooling1D", "name": "flat", "inputs": "emb"}, *states,
             {"type": "Bidirectional", "name": "dec", "inputs": "emb", "merge_mode": None,
              "layer": {"type": "GRU", "units": 2}, "initial_state": ["s0", "s1"]},
             {"type": "Bidirectional", "name": "plain", "inputs": "emb", "merge_mode": None,
              "layer": {"type": "GRU", "units": 2}}]
    model, w = build([EMB, *extra], INPUTS, ["dec", "dec:backward", "plain", "plain:backward"])
    model.set_weights({**w, "plain": w["dec"], "s0": {"kernel": np.zeros((3, 2))}})
    got = model(IDS)
    assert_close(got["dec"], got["plain"].astype(np.float64))
    assert not np.allclose(got["dec:backward"], got["plain:backward"])


def test_both_null_outputs_carry_the_mask():
    """A layer reading the backward output skips the padding, as on the sequence without it (Keras's compute_mask
    gives both outputs the mask)."""
    layers = [EMB, {"type": "Bidirectional", "name": "bi", "merge_mode": None,
                    "layer": {"type": "SimpleRNN", "units": 2, "return_sequences": True}},
              {"type": "LSTM", "name": "after", "inputs": "bi:backward", "units": 2}]
    padded, w = build(layers, INPUTS, ["after"])
    short, _ = build(layers, {"ids": {"shape": [3], "dtype": "int32"}}, ["after"])
    short.set_weights(w)
    assert_close(padded(IDS[:1]), short(IDS[:1, :3]).astype(np.float64))
