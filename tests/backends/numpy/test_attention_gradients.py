"""Backward of Attention and AdditiveAttention against central differences: score modes, scales, masks, causal,
a separate key, attention scores as a second output, dropout."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients

QUERY_MASK = np.array([[1, 1, 0], [1, 1, 1]], bool)
VALUE_MASK = np.array([[1, 0, 1, 1], [1, 1, 1, 0]], bool)


def arrays(count):
    rng = np.random.default_rng(11)
    return [rng.standard_normal((2, 3, 2)), *(rng.standard_normal((2, 4, 2)) for _ in range(count - 1))]


LAYERS = [{"type": "Attention"}, {"type": "Attention", "use_scale": True},
          {"type": "Attention", "score_mode": "concat"}, {"type": "Attention", "score_mode": "concat", "use_scale": True},
          {"type": "AdditiveAttention"}, {"type": "AdditiveAttention", "use_scale": False}]


@pytest.mark.parametrize("layer", LAYERS, ids=str)
@pytest.mark.parametrize("count", [2, 3])
def test_attention(layer, count):
    check_layer_gradients(layer, arrays(count))


@pytest.mark.parametrize("layer", LAYERS, ids=str)
def test_masks_and_causal(layer):
    masks = [QUERY_MASK, VALUE_MASK, VALUE_MASK]
    grads = check_layer_gradients({**layer, "use_causal_mask": True}, arrays(3), masks=masks)
    assert not grads.inputs[1][~VALUE_MASK].any() and not grads.inputs[2][~VALUE_MASK].any()
    assert not grads.inputs[0][~QUERY_MASK].any()


@pytest.mark.parametrize("layer", LAYERS[::2], ids=str)
def test_attention_scores_output(layer):
    check_layer_gradients({**layer, "return_attention_scores": True}, arrays(2), masks=[QUERY_MASK, VALUE_MASK])


def test_dropout_of_the_attention_weights():
    check_layer_gradients({"type": "Attention", "dropout": 0.4, "return_attention_scores": True}, arrays(2))
