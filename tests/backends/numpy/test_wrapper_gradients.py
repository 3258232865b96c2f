"""Backward of TimeDistributed and Bidirectional (the wrapped kernels' backward composed) against central
differences."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

MASK = np.array([[1, 1, 1, 0], [1, 0, 1, 1], [1, 1, 1, 1]], bool)


def sequence(*shape):
    return np.random.default_rng(17).standard_normal(shape or (3, 4, 2))


@pytest.mark.parametrize("inner", [{"type": "Dense", "units": 3, "activation": "tanh"},
                                   {"type": "LayerNormalization"}, {"type": "Dense", "units": 2, "trainable": False}],
                         ids=str)
def test_time_distributed(inner):
    check_layer_gradients({"type": "TimeDistributed", "layer": inner}, [sequence()])


def test_time_distributed_over_frames():
    check_layer_gradients({"type": "TimeDistributed", "layer": {"type": "Flatten"}}, [sequence(2, 3, 2, 2)])


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
@pytest.mark.parametrize("inner", [{"type": "LSTM"}, {"type": "GRU"}, {"type": "SimpleRNN", "return_sequences": True},
                                   {"type": "GRU", "reset_after": False, "return_sequences": True}], ids=str)
def test_bidirectional(inner, merge_mode):
    layer = {"type": "Bidirectional", "merge_mode": merge_mode, "layer": {**inner, "units": 2}}
    # step 1e-5: the recurrent gradients of two directions are small against the loss's rounding at 1e-6
    check_layer_gradients(layer, [sequence()], step=1e-5)
    grads = check_layer_gradients(layer, [sequence()], masks=[MASK], step=1e-5)
    assert not grads.inputs[0][~MASK].any(), "a masked step got a gradient"


def test_bidirectional_with_its_own_backward_layer():
    layer = {"type": "Bidirectional", "layer": {"type": "LSTM", "units": 2, "return_sequences": True},
             "backward_layer": {"type": "GRU", "units": 3, "go_backwards": True, "return_sequences": True}}
    check_layer_gradients(layer, [sequence()], masks=[MASK], step=1e-5)
