"""Backpropagation through time for SimpleRNN, LSTM and GRU (both reset_after forms) against central differences:
masks, go_backwards, return_sequences, return_state, initial states, dropout."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients
from support import checked, random_weights

from graphspec_backends.numpy.kernels import KERNELS

RNG = np.random.default_rng(7)
MASK = np.array([[1, 1, 0, 1], [0, 1, 1, 0], [1, 1, 1, 1]], bool)
CELLS = [{"type": "SimpleRNN"}, {"type": "LSTM"}, {"type": "GRU"}, {"type": "GRU", "reset_after": False},
         {"type": "SimpleRNN", "activation": "relu", "use_bias": False},
         {"type": "LSTM", "activation": "softsign", "recurrent_activation": "hard_sigmoid"},
         {"type": "GRU", "use_bias": False}]


def sequence():
    """The same sequence in every test, whatever runs first."""
    return np.random.default_rng(7).standard_normal((3, 4, 2))


@pytest.mark.parametrize("cell", CELLS, ids=str)
@pytest.mark.parametrize("options", [{}, {"return_sequences": True}, {"go_backwards": True},
                                     {"go_backwards": True, "return_sequences": True}], ids=str)
def test_recurrent(cell, options):
    # step 1e-5: small recurrent gradients (near 1e-4) drown in the loss's rounding at 1e-6
    check_layer_gradients({**cell, "units": 3, **options}, [sequence()], step=1e-5)


@pytest.mark.parametrize("cell", CELLS[:4], ids=str)
@pytest.mark.parametrize("options", [{}, {"return_sequences": True}, {"go_backwards": True}], ids=str)
def test_masked_steps_carry_the_state_and_get_no_gradient(cell, options):
    grads = check_layer_gradients({**cell, "units": 3, **options}, [sequence()], masks=[MASK, None])
    assert not grads.inputs[0][~MASK].any(), "a masked step got a gradient"


@pytest.mark.parametrize("cell", CELLS[:4], ids=str)
def test_return_state_and_initial_state_get_gradients(cell):
    states = 2 if cell["type"] == "LSTM" else 1
    arrays = [sequence(), *(RNG.standard_normal((3, 3)) for _ in range(states))]
    names = [f"s{i}" for i in range(states)]
    layer = {**cell, "name": "probe", "units": 3, "return_state": True, "return_sequences": True, "inputs": "x",
             "initial_state": names}
    graph = checked([layer], {"x": {"shape": [4, 2], "dtype": "float64"},
                              **{n: {"shape": [3], "dtype": "float64"} for n in names}})
    weights = {w: a.astype(np.float64) for w, a in random_weights(graph, 0)["probe"].items()}
    kernel = KERNELS[cell["type"]]("probe", graph["probe"].layer, weights)
    grads = check_layer_gradients(layer, arrays, masks=[MASK] + [None] * states, kernel=kernel)
    assert all(g.any() for g in grads.inputs[1:])


@pytest.mark.parametrize("cell", CELLS[:4], ids=str)
def test_dropout_and_recurrent_dropout(cell):
    check_layer_gradients({**cell, "units": 3, "dropout": 0.3, "recurrent_dropout": 0.4}, [sequence()])


def test_frozen_layer_sends_gradients_to_its_input_only():
    grads = check_layer_gradients({"type": "LSTM", "units": 3, "trainable": False}, [sequence()])
    assert not grads.weights


@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_training_forward_equals_the_inference_forward(cell):
    from gradcheck import layer_kernel

    from graphspec_backends.numpy.kernels.base import Training

    x = sequence()
    kernel = layer_kernel({**cell, "units": 3, "return_sequences": True, "go_backwards": True}, [x])
    y, _ = kernel.train_forward([x], [MASK], Training(np.random.default_rng(0)))
    np.testing.assert_allclose(y, kernel.forward([x], [MASK]), rtol=1e-12, atol=1e-12)
