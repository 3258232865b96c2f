"""fit(x, y, epochs=STEPS, batch_size=len(y), shuffle=False) on one batch ends where STEPS of Keras 3's
train_on_batch end (fixtures made with Keras on torch by tests/fixtures/keras/make_training_fixtures.py), for each
loss and optimiser; frozen weights stay bit-identical."""
import sys
from pathlib import Path

import numpy as np
import pytest

import graphspec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "keras" / "training"
sys.path.insert(0, str(FIXTURES))
from cases import CASES, OPTIMIZERS  # noqa: E402


def unflatten(npz, prefix):
    weights = {}
    for key in npz.files:
        if key.startswith(prefix + "/"):
            _, layer, weight = key.split("/")
            weights.setdefault(layer, {})[weight] = npz[key]
    return weights


@pytest.mark.parametrize("case", sorted(CASES))
def test_fit_matches_keras_train_on_batch(case):
    spec, loss, optimizer, steps = CASES[case]
    npz = np.load(FIXTURES / f"{case}.npz")
    graph = graphspec.check(graphspec.loads(spec))
    start = unflatten(npz, "weights")
    model = graphspec.compile(graph, weights=start)
    model.compile_training(loss=loss, optimizer=OPTIMIZERS[optimizer])
    inputs = {name.split("/")[1]: npz[name] for name in npz.files if name.startswith("inputs/")}
    labels = npz["labels"]
    history = model.fit(inputs, labels, epochs=steps, batch_size=len(labels), shuffle=False, progress=False)
    np.testing.assert_allclose(history.history["loss"], npz["losses"], rtol=1e-4)
    final, trained = unflatten(npz, "final"), model.get_weights()
    for layer, weights in final.items():
        for name, expected in weights.items():
            np.testing.assert_allclose(trained[layer][name], expected, rtol=1e-4, atol=1e-6,
                                       err_msg=f"{case}: {layer}/{name}")
            if not graph[layer].layer.trainable:
                assert np.array_equal(trained[layer][name], start[layer][name]), f"{layer}/{name} moved"
