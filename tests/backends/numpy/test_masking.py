"""Masking through the public path: steps whose features all equal mask_value become zeros and are masked, so an
LSTM carries its state over them and GlobalAveragePooling1D leaves them out, against loop references."""
import numpy as np
import pytest
from support import assert_close, build


def reference_masking(x, mask_value):
    """(output, mask) by loops: a step is kept when any feature differs from mask_value."""
    out, mask = np.zeros(x.shape), np.zeros(x.shape[:2], bool)
    for b in range(x.shape[0]):
        for t in range(x.shape[1]):
            mask[b, t] = any(float(v) != mask_value for v in x[b, t])
            out[b, t] = x[b, t] if mask[b, t] else 0.0
    return out, mask


def padded(mask_value):
    x = np.random.default_rng(1).uniform(-1, 1, (3, 5, 2)).astype(np.float32)
    x[0, 3:] = mask_value          # padding at the end
    x[1, 0] = mask_value           # at the start
    x[1, 2, 0] = mask_value        # one feature only: not masked
    x[2] = mask_value              # every step
    return x


@pytest.mark.parametrize("mask_value", [0.0, -1.0])
def test_masked_steps_are_zeroed(mask_value):
    model, _ = build([{"type": "Masking", "mask_value": mask_value}], {"x": {"shape": [5, 2]}})
    x = padded(mask_value)
    expected, _ = reference_masking(x, mask_value)
    assert_close(model(x), expected)


@pytest.mark.parametrize("mask_value", [0.0, -1.0])
def test_mean_pooling_skips_masked_steps(mask_value):
    layers = [{"type": "Masking", "mask_value": mask_value}, {"type": "GlobalAveragePooling1D"}]
    model, _ = build(layers, {"x": {"shape": [5, 2]}})
    x = padded(mask_value)
    values, mask = reference_masking(x, mask_value)
    expected = np.array([values[b][mask[b]].mean(axis=0) if mask[b].any() else np.zeros(2) for b in range(3)])
    assert_close(model(x)[:2], expected[:2])  # the all-masked sample: Keras divides 0 by 0 too; not compared


def test_lstm_after_masking_equals_lstm_on_the_kept_steps():
    """A sequence with its padded steps masked gives the LSTM's answer on the unpadded sequence alone."""
    layers = [{"type": "Masking", "name": "mask"}, {"type": "LSTM", "name": "lstm", "units": 3}]
    model, w = build(layers, {"x": {"shape": [5, 2]}})
    x = padded(0.0)[:2]
    short = build([{"type": "LSTM", "name": "lstm", "units": 3}], {"x": {"shape": [None, 2]}})[0]
    short.set_weights({"lstm": {k: v.astype(np.float32) for k, v in w["lstm"].items()}})
    got = model(x)
    np.testing.assert_allclose(got[0], short(x[:1, :3])[0], rtol=1e-5)
    np.testing.assert_allclose(got[1], short(x[1:2, [1, 2, 3, 4]])[0], rtol=1e-5)


def test_integer_input_keeps_its_dtype():
    model, _ = build([{"type": "Masking"}], {"x": {"shape": [3, 2], "dtype": "int32"}})
    out = model(np.array([[[1, 0], [0, 0], [2, 3]]], np.int32))
    assert out.dtype == np.int32 and out.tolist() == [[[1, 0], [0, 0], [2, 3]]]
