"""Training through a layer's later outputs (graphspec/ports.py): the plan carries every output of a layer and its
gradient, checked against central differences over whole models."""
import numpy as np
import pytest
from plan_gradcheck import check_plan_gradients

from support import checked

RNG = np.random.default_rng(5)
SOURCE, TARGET = RNG.standard_normal((2, 5, 3)), RNG.standard_normal((2, 4, 2))
ENCODER = {"type": "LSTM", "name": "encoder", "inputs": "src", "units": 3, "return_state": True}
SEQ2SEQ_INPUTS = {"src": {"shape": [5, 3], "dtype": "float64"}, "tgt": {"shape": [4, 2], "dtype": "float64"}}


@pytest.mark.parametrize("cell", ["LSTM", "GRU"])
def test_encoder_states_into_the_decoder_get_gradients(cell):
    states = ["encoder:state_h", "encoder:state_c"] if cell == "LSTM" else ["encoder:state_h"]
    graph = checked([{**ENCODER, "type": cell},
                     {"type": cell, "name": "decoder", "inputs": "tgt", "units": 3, "return_sequences": True,
                      "initial_state": states},
                     {"type": "Dense", "name": "probs", "units": 4, "activation": "softmax"}], SEQ2SEQ_INPUTS)
    grads = check_plan_gradients(graph, {"src": SOURCE, "tgt": TARGET}, step=1e-5)
    assert np.abs(grads["encoder"]["kernel"]).max() > 1e-3  # reached only through the states


def test_a_later_output_as_a_model_output_and_an_unread_first_output():
    graph = checked([ENCODER, {"type": "Dense", "name": "head", "inputs": "encoder:state_c", "units": 2}],
                    {"src": SEQ2SEQ_INPUTS["src"]}, outputs=["head", "encoder:state_h"])
    check_plan_gradients(graph, {"src": SOURCE}, step=1e-5)


@pytest.mark.parametrize("attention", [{"type": "Attention"}, {"type": "AdditiveAttention"},
                                       {"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 2}], ids=str)
def test_attention_scores_read_downstream(attention):
    graph = checked([{**attention, "name": "att", "inputs": ["q", "v"], "return_attention_scores": True},
                     {"type": "Flatten", "name": "flat_scores", "inputs": "att:attention_scores"},
                     {"type": "Flatten", "name": "flat_out", "inputs": "att"},
                     {"type": "Concatenate", "name": "both", "inputs": ["flat_out", "flat_scores"]},
                     {"type": "Dense", "name": "head", "units": 2}],
                    {"q": {"shape": [3, 2], "dtype": "float64"}, "v": {"shape": [4, 2], "dtype": "float64"}})
    check_plan_gradients(graph, {"q": RNG.standard_normal((2, 3, 2)), "v": RNG.standard_normal((2, 4, 2))})


@pytest.mark.parametrize("merge_mode", [None, "concat"])
def test_bidirectional_directions_states_and_initial_state(merge_mode):
    heads = ["bi", "bi:backward"] if merge_mode is None else ["bi", "bi"]
    graph = checked([{"type": "Dense", "name": "start", "inputs": "src", "units": 2},
                     {"type": "Bidirectional", "name": "bi", "inputs": "tgt", "merge_mode": merge_mode,
                      "layer": {"type": "LSTM", "units": 2, "return_state": True, "return_sequences": True},
                      "initial_state": ["start", "start", "start", "start"]},
                     {"type": "Concatenate", "name": "joined", "inputs": heads},
                     {"type": "LSTM", "name": "after", "units": 2,
                      "initial_state": ["bi:forward_state_h", "bi:backward_state_c"]}],
                    {"src": {"shape": [2], "dtype": "float64"}, "tgt": {"shape": [4, 2], "dtype": "float64"}})
    grads = check_plan_gradients(graph, {"src": RNG.standard_normal((2, 2)), "tgt": TARGET}, step=1e-5)
    assert np.abs(grads["start"]["kernel"]).max() > 1e-3  # reached only through the initial states


def test_a_trained_bidirectional_runs_with_its_new_weights():
    """Each direction reads the wrapper's weights live: training replaces the arrays, and the next step and
    predict must see the new ones."""
    import graphspec

    graph = checked([{"type": "Bidirectional", "name": "bi", "layer": {"type": "GRU", "units": 2}},
                     {"type": "Dense", "name": "value", "units": 1}], {"x": {"shape": [3, 2]}})
    model = graphspec.compile(graph, seed=1).compile_training(loss="mse", optimizer={"type": "sgd", "learning_rate": 1})
    x, y = TARGET[:, :3].astype("float32"), np.ones((2, 1), "float32")
    first, second = (model.train_on_batch(x, y)["loss"] for _ in range(2))
    fresh = graphspec.compile(graph, weights=model.get_weights())
    assert first != second and np.array_equal(model.predict(x, progress=False), fresh.predict(x, progress=False))
