"""keras_hub's position layers through the public path, against loop references of keras_hub 0.32's formulas."""
import math

import numpy as np
import pytest
from support import assert_close, build

from graphspec.diagnostics import RunError


def reference_sine(steps, features, max_wavelength):
    """keras_hub's SinePositionEncoding by loops: sin on even features, cos on odd, wavelength rising with j // 2."""
    out = np.zeros((steps, features))
    for p in range(steps):
        for j in range(features):
            angle = p * (1 / max_wavelength) ** (2 * (j // 2) / features)
            out[p, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return out


@pytest.mark.parametrize(("steps", "features", "wavelength"), [(6, 8, 10000.0), (4, 5, 50.0), (1, 1, 10000.0)])
def test_sine_table_for_every_sample(steps, features, wavelength):
    model, _ = build([{"type": "SinePositionEncoding", "max_wavelength": wavelength}], {"x": {"shape": [None, features]}})
    x = np.random.default_rng(0).normal(size=(3, steps, features)).astype(np.float32)
    expected = np.broadcast_to(reference_sine(steps, features, wavelength), x.shape)
    assert_close(model(x), expected)


def test_learned_rows_for_the_steps_given():
    model, weights = build([{"type": "PositionEmbedding", "name": "pos", "sequence_length": 9}],
                           {"x": {"shape": [None, 4]}})
    table = weights["pos"]["embeddings"]
    for steps in (9, 5):
        x = np.zeros((2, steps, 4), np.float32)
        expected = np.zeros(x.shape)
        for b in range(2):
            for t in range(steps):
                expected[b, t] = table[t]
        assert_close(model(x), expected)


def test_too_long_at_run_time():
    model, _ = build([{"type": "PositionEmbedding", "name": "pos", "sequence_length": 3}], {"x": {"shape": [None, 2]}})
    with pytest.raises(RunError, match=r"layer 'pos' \(PositionEmbedding\).*4 steps.*sequence_length = 3"):
        model(np.zeros((1, 4, 2), np.float32))


def test_token_plus_position_drops_the_mask():
    """keras_hub's layers do not support masking: the mask stops there, so Add (one input unmasked) has none and the
    mean pools the padded steps too."""
    layers = [{"type": "Embedding", "name": "emb", "input_dim": 5, "output_dim": 3, "mask_zero": True},
              {"type": "PositionEmbedding", "name": "pos", "sequence_length": 4},
              {"type": "Add", "inputs": ["emb", "pos"]}, {"type": "GlobalAveragePooling1D"}]
    model, weights = build(layers, {"x": {"shape": [4], "dtype": "int32"}})
    ids = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], np.int32)
    table, positions = weights["emb"]["embeddings"], weights["pos"]["embeddings"]
    expected = np.zeros((2, 3))
    for b in range(2):
        for t in range(4):
            expected[b] += (table[ids[b, t]] + positions[t]) / 4
    assert_close(model(ids), expected)
