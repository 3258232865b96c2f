"""Dropout and GaussianNoise are the identity at inference, as in Keras, and pass a mask on."""
import numpy as np
import pytest
from support import assert_close, build


@pytest.mark.parametrize("layer", [{"type": "Dropout", "rate": 0.5}, {"type": "Dropout", "rate": 0.9, "seed": 3},
                                   {"type": "GaussianNoise", "stddev": 1.0}])
@pytest.mark.parametrize("batch", [1, 4])
def test_identity(layer, batch):
    model, _ = build([layer], {"x": {"shape": [3, 5]}})
    x = np.random.default_rng(batch).uniform(-1, 1, (batch, 3, 5)).astype(np.float32)
    first, second = model(x), model(x)
    np.testing.assert_array_equal(first, x)
    np.testing.assert_array_equal(second, x)


def test_identity_inside_a_model_and_mask_passes():
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 5, "output_dim": 2, "mask_zero": True},
              {"type": "Dropout", "rate": 0.5}, {"type": "GaussianNoise", "stddev": 0.3},
              {"type": "GlobalAveragePooling1D"}]
    model, w = build(layers, {"ids": {"shape": [4], "dtype": "int32"}})
    ids = np.array([[1, 2, 0, 0], [4, 0, 3, 0]], np.int32)
    table = w["emb"]["embeddings"]
    expected = np.array([(table[1] + table[2]) / 2, (table[4] + table[3]) / 2])
    assert_close(model(ids), expected)
