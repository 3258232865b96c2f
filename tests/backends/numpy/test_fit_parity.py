"""fit with validation data, evaluate and train_on_batch end where Keras 3's do (fixtures made on torch by
tests/fixtures/keras/make_fit_fixtures.py) on models whose output carries a Keras mask, and with sample weights
(per sample, per step beside a mask) or class weights: the loss and every metric, training and validation, weighed
by the mask and the weights as Keras weighs them, and the final weights."""
import sys
from pathlib import Path

import numpy as np
import pytest

import graphspec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "keras" / "training"
sys.path.insert(0, str(FIXTURES))
from cases import OPTIMIZERS  # noqa: E402
from fit_cases import FIT_CASES, WEIGHTED_METRICS, WEIGHTING  # noqa: E402


def grouped(npz, prefix):
    return {key[len(prefix) + 1:]: npz[key] for key in npz.files if key.startswith(prefix + "/")}


def weights(npz, prefix):
    found = {}
    for key, array in grouped(npz, prefix).items():
        layer, weight = key.split("/")
        found.setdefault(layer, {})[weight] = array
    return found


@pytest.mark.parametrize("case", sorted(FIT_CASES))
def test_fit_evaluate_and_train_on_batch_match_keras(case):
    spec, loss, optimizer, metrics, epochs, batch_size = FIT_CASES[case]
    npz = np.load(FIXTURES / f"{case}.npz")
    model = graphspec.compile(graphspec.check(graphspec.loads(spec)), weights=weights(npz, "weights"))
    model.compile_training(loss=loss, optimizer=OPTIMIZERS[optimizer], metrics=metrics,
                           weighted_metrics=WEIGHTED_METRICS.get(case))
    weighing = WEIGHTING.get(case)
    by_sample = "sample_weight" in npz.files
    train_weights = {"sample_weight": npz["sample_weight"]} if by_sample else \
        {"class_weight": weighing} if weighing else {}
    val_weights = {"sample_weight": npz["val_sample_weight"]} if by_sample else {}
    validation = (grouped(npz, "val_inputs"), npz["val_labels"], *val_weights.values())
    history = model.fit(grouped(npz, "inputs"), npz["labels"], epochs=epochs, batch_size=batch_size, shuffle=False,
                        validation_data=validation, progress=False, **train_weights).history
    assert sorted(history) == sorted(grouped(npz, "history"))
    for key, expected in grouped(npz, "history").items():
        np.testing.assert_allclose(history[key], expected, rtol=1e-4, err_msg=f"history {key}")
    evaluated = model.evaluate(*validation[:2], batch_size=batch_size, **val_weights)
    for key, expected in grouped(npz, "evaluate").items():
        assert evaluated[key] == pytest.approx(float(expected), rel=1e-4), f"evaluate {key}"
    stepped = model.train_on_batch(grouped(npz, "inputs"), npz["labels"], **train_weights)
    for key, expected in grouped(npz, "train_on_batch").items():
        assert stepped[key] == pytest.approx(float(expected), rel=1e-4), f"train_on_batch {key}"
    trained = model.get_weights()
    for layer, arrays in weights(npz, "final").items():
        for name, expected in arrays.items():
            np.testing.assert_allclose(trained[layer][name], expected, rtol=1e-4, atol=1e-6, err_msg=f"{layer}/{name}")
