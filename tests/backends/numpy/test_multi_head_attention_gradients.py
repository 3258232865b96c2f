"""Backward of MultiHeadAttention against central differences: heads, value_dim, output_shape, gate, causal and
sliding-window masks, input masks, attention axes, a separate key, the scores as a second output, dropout."""
import numpy as np
import pytest
from gradcheck import check_layer_gradients, layer_kernel

QUERY_MASK = np.array([[1, 1, 0], [1, 1, 1]], bool)
VALUE_MASK = np.array([[1, 0, 1, 1], [1, 1, 1, 0]], bool)
LAYERS = [{"num_heads": 2, "key_dim": 3}, {"num_heads": 3, "key_dim": 2, "value_dim": 4, "use_bias": False},
          {"num_heads": 2, "key_dim": 2, "output_shape": [2, 3]}, {"num_heads": 2, "key_dim": 3, "use_gate": True},
          {"num_heads": 1, "key_dim": 4, "use_causal_mask": True}, {"num_heads": 2, "key_dim": 2, "sliding_window": 2},
          {"num_heads": 2, "key_dim": 2, "return_attention_scores": True}]


def check(fields, arrays, masks=None):
    """check_layer_gradients without the key's bias: its gradient is exactly 0 (the softmax ignores a shift every
    key step shares), which central differences give only as rounding noise; checked separately below."""
    kernel = layer_kernel({"type": "MultiHeadAttention", **fields}, arrays)
    kernel.weights.pop("key/bias", None)
    return check_layer_gradients({}, arrays, masks=masks, kernel=kernel)


def test_the_key_bias_gets_a_zero_gradient():
    from graphspec_backends.numpy.kernels.base import Training

    x = arrays(2)
    kernel = layer_kernel({"type": "MultiHeadAttention", "num_heads": 2, "key_dim": 3}, x)
    y, backward = kernel.train_forward(x, [None, None], Training(np.random.default_rng(0), input_grads=(True, True)))
    grads = backward(np.ones_like(y)).weights
    assert grads["key/bias"].shape == kernel.weights["key/bias"].shape and np.abs(grads["key/bias"]).max() < 1e-12


def arrays(count, tq=3, tv=4):
    rng = np.random.default_rng(13)
    return [rng.standard_normal((2, tq, 3)), *(rng.standard_normal((2, tv, 2)) for _ in range(count - 1))]


@pytest.mark.parametrize("fields", LAYERS, ids=str)
@pytest.mark.parametrize("count", [2, 3])
def test_multi_head_attention(fields, count):
    check(fields, arrays(count))


@pytest.mark.parametrize("fields", LAYERS[::3], ids=str)
def test_masks(fields):
    check(fields, arrays(3), masks=[QUERY_MASK, VALUE_MASK, VALUE_MASK])
    # without a fully hidden row (Keras's fused path spreads such a row over every step), hidden steps get nothing
    grads = check(fields, arrays(3), masks=[None, VALUE_MASK, VALUE_MASK])
    assert not grads.inputs[1][~VALUE_MASK].any() and not grads.inputs[2][~VALUE_MASK].any()


def test_self_attention_with_a_causal_mask_and_a_fully_hidden_row():
    x = arrays(1, tq=4)[0]
    mask = np.array([[0, 1, 1, 1], [1, 1, 1, 0]], bool)
    check({"num_heads": 2, "key_dim": 2, "use_causal_mask": True}, [x, x.copy()], masks=[mask, mask])


def test_attention_axes():
    rng = np.random.default_rng(2)
    x = [rng.standard_normal((2, 3, 2, 3)), rng.standard_normal((2, 3, 2, 3))]
    check({"num_heads": 2, "key_dim": 2, "attention_axes": [1, 2]}, x)


def test_dropout():
    check({"num_heads": 2, "key_dim": 2, "dropout": 0.3, "return_attention_scores": True}, arrays(2))
