"""Dense through the public path against a loop reference: rank 2 and rank 3 inputs, activations, no bias."""
import itertools
import math

import numpy as np
import pytest
from support import assert_close, build

ACTIVATIONS = {None: lambda v: v, "relu": lambda v: max(v, 0.0), "tanh": math.tanh,
               "sigmoid": lambda v: 1 / (1 + math.exp(-v))}


def reference_dense(x, kernel, bias, activation):
    """out[..., u] = activation(sum_i x[..., i] * kernel[i, u] + bias[u]); softmax over the units."""
    out = np.zeros((*x.shape[:-1], kernel.shape[1]))
    for position in itertools.product(*map(range, x.shape[:-1])):
        for u in range(kernel.shape[1]):
            total = 0.0 if bias is None else bias[u]
            for i in range(kernel.shape[0]):
                total += float(x[position + (i,)]) * kernel[i, u]
            out[position + (u,)] = total
        if activation == "softmax":
            row = [math.exp(v) for v in out[position]]
            out[position] = [v / sum(row) for v in row]
        else:
            out[position] = [ACTIVATIONS[activation](v) for v in out[position]]
    return out


@pytest.mark.parametrize("shape", [(6,), (4, 6)], ids=["rank2", "rank3"])
@pytest.mark.parametrize("activation", [None, "relu", "tanh", "sigmoid", "softmax"])
@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("batch", [1, 3])
def test_dense_matches_reference(shape, activation, use_bias, batch):
    layer = {"type": "Dense", "name": "d", "units": 5, "activation": activation, "use_bias": use_bias}
    model, w = build([layer], {"x": {"shape": list(shape)}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, *shape)).astype(np.float32)
    expected = reference_dense(x, w["d"]["kernel"], w["d"].get("bias"), activation)
    assert_close(model(x), expected)


def test_dense_stack_with_variable_length_input():
    layers = [{"type": "Dense", "name": "a", "units": 4, "activation": "relu"},
              {"type": "Dense", "name": "b", "units": 2}]
    model, w = build(layers, {"x": {"shape": [None, 3]}})
    for steps in (1, 5):
        x = np.random.default_rng(steps).uniform(-1, 1, (2, steps, 3)).astype(np.float32)
        hidden = reference_dense(x, w["a"]["kernel"], w["a"]["bias"], "relu")
        assert_close(model(x), reference_dense(hidden, w["b"]["kernel"], w["b"]["bias"], None))
