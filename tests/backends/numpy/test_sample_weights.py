"""fit, train_on_batch and evaluate with Keras's sample_weight and class_weight: the loss weighs each sample's
loss by its weight over the batch's count, the weighted_metrics weigh by it and the metrics do not; bad weights
are a one-line RunError before any step. (The numbers against Keras: test_fit_parity.py.)"""
import numpy as np
import pytest

from graphspec.diagnostics import RunError
from support import build

RNG = np.random.default_rng(4)
X = RNG.standard_normal((4, 3)).astype("float32")
CLASSES = np.array([0, 2, 1, 2])


def classifier(**training):
    model, _ = build([{"type": "Dense", "name": "probs", "units": 3, "activation": "softmax"}], {"x": {"shape": [3]}})
    return model.compile_training(loss="sparse_categorical_crossentropy", optimizer="sgd", **training)


def test_the_loss_is_the_weighted_sum_over_the_batch_count():
    model = classifier()
    probs = model(X)
    losses = -np.log(probs[np.arange(4), CLASSES].astype("float64"))
    weights = np.array([2.0, 0.0, 0.5, 1.0])
    assert model.evaluate(X, CLASSES, sample_weight=weights)["loss"] == pytest.approx((losses * weights).sum() / 4,
                                                                                      rel=1e-6)


def test_a_sample_weighing_0_is_left_out_and_one_weighing_2_counts_twice():
    weighted, alone = classifier(), classifier()
    weighted.train_on_batch(X[:2], CLASSES[:2], sample_weight=[2.0, 0.0])
    alone.train_on_batch(X[:1], CLASSES[:1])  # 2 × its loss over 2 samples = its loss over 1
    for layer, arrays in alone.get_weights().items():
        for name, array in arrays.items():
            np.testing.assert_allclose(weighted.get_weights()[layer][name], array, rtol=1e-6)


def test_class_weight_is_the_sample_weight_of_each_samples_class():
    by_class, by_sample = classifier(), classifier()
    by_class.fit(X, CLASSES, batch_size=2, shuffle=False, verbose=0, class_weight={1.0: 3.0, 2: 0.5})
    by_sample.fit(X, CLASSES, batch_size=2, shuffle=False, progress=False, sample_weight=[1.0, 0.5, 3.0, 0.5])
    assert by_class.get_weights()["probs"]["kernel"].tolist() == by_sample.get_weights()["probs"]["kernel"].tolist()


def test_metrics_are_not_weighed_and_weighted_metrics_are_named_apart():
    model = classifier(metrics=["accuracy"], weighted_metrics=["accuracy"])
    right = (model(X).argmax(-1) == CLASSES).astype(float)
    weights = np.array([1.0, 0.0, 0.0, 3.0])
    logs = model.evaluate(X, CLASSES, sample_weight=weights)
    assert logs["accuracy"] == pytest.approx(right.mean())
    assert logs["weighted_accuracy"] == pytest.approx((right * weights).sum() / 4)


@pytest.mark.parametrize("arguments, message", [
    ({"sample_weight": [1.0, 2.0]}, r"sample_weight has shape \(2,\); it needs \(4,\), one per sample"),
    ({"sample_weight": [1.0, -1.0, 0.0, 1.0]}, r"sample_weight holds -1 at position \(1,\); weights are finite"),
    ({"sample_weight": [1.0, np.nan, 0.0, 1.0]}, r"sample_weight holds nan at position \(1,\)"),
    ({"sample_weight": ["a", "b", "c", "d"]}, r"sample_weight has dtype <U1; it needs numbers"),
    ({"sample_weight": [1.0] * 4, "class_weight": {0: 2.0}}, r"give sample_weight or class_weight, not both"),
    ({"class_weight": {3: 2.0}}, r"class_weight names class 3; the output's classes are 0 to 2"),
    ({"class_weight": {1.5: 2.0}}, r"class_weight names class 1.5; the output's classes are 0 to 2"),
    ({"class_weight": {1: -2.0}}, r"class_weight gives class 1 the weight -2.0; weights are finite numbers of at"),
    ({"class_weight": [2.0, 1.0]}, r"class_weight is a dict from class id to weight"),
    ({"class_weight": {0: "heavy"}}, r"class_weight gives class 0 the weight 'heavy'; weights are finite numbers"),
])
def test_bad_weights_are_one_line_before_any_step(arguments, message):
    model = classifier()
    before = model.get_weights()["probs"]["kernel"].copy()
    with pytest.raises(RunError, match=message):
        model.fit(X, CLASSES, progress=False, **arguments)
    assert np.array_equal(model.get_weights()["probs"]["kernel"], before)


def test_class_weight_on_labels_per_step_asks_for_sample_weight_per_step():
    model, _ = build([{"type": "Dense", "name": "probs", "units": 3, "activation": "softmax"}],
                     {"x": {"shape": [5, 3]}})
    model.compile_training(loss="sparse_categorical_crossentropy", optimizer="sgd")
    with pytest.raises(RunError, match=r"each sample has 5 labels \(one per step\): pass sample_weight shaped "
                                       r"\(2, 5\)"):
        model.fit(RNG.standard_normal((2, 5, 3)), RNG.integers(0, 3, (2, 5)), class_weight={0: 2.0}, progress=False)


def test_class_weight_on_one_flag_per_step_asks_for_sample_weight_per_step():
    model, _ = build([{"type": "Dense", "name": "flag", "units": 1, "activation": "sigmoid"}], {"x": {"shape": [5, 3]}})
    model.compile_training(loss="binary_crossentropy", optimizer="sgd")
    with pytest.raises(RunError, match=r"each sample has 5 labels \(one per step\)"):
        model.fit(RNG.standard_normal((2, 5, 3)), RNG.integers(0, 2, (2, 5)).astype(float), class_weight={1: 2.0},
                  progress=False)


def test_validation_data_takes_its_own_sample_weights():
    model = classifier()
    history = model.fit(X, CLASSES, epochs=1, progress=False, validation_data=(X, CLASSES, np.zeros(4))).history
    assert history["val_loss"] == [0.0]
    with pytest.raises(RunError, match=r"validation_data is a tuple \(x_val, y_val\) or \(x_val, y_val, "):
        model.fit(X, CLASSES, progress=False, validation_data=(X, CLASSES, None, None))


@pytest.mark.parametrize("arguments, message", [
    ({"metrics": "accuracy"}, r"metrics is a list of metric names, e.g. metrics=\['accuracy'\]; got 'accuracy'"),
    ({"weighted_metrics": ["acuracy"]}, r"weighted_metrics: unknown metric 'acuracy'; did you mean 'accuracy'\?"),
    ({"weighted_metrics": [None]}, r"weighted_metrics: None is not a metric; give names such as 'accuracy'"),
])
def test_metrics_are_checked_by_compile_training(arguments, message):
    with pytest.raises(RunError, match=message):
        classifier(**arguments)


def test_no_samples_is_one_line_for_each_call():
    model = classifier()
    for call in (model.fit, model.evaluate, model.train_on_batch):
        with pytest.raises(RunError, match=r"x has no samples; give at least one"):
            call(X[:0], CLASSES[:0])


def test_binary_accuracy_compares_the_labels_as_they_are_with_the_thresholded_prediction():
    from graphspec_backends.numpy.training.metrics import BinaryAccuracy
    values = BinaryAccuracy().values(np.array([[1.0], [0.7], [0.0]]), np.array([[0.9], [0.9], [0.2]]))
    assert values.tolist() == [1.0, 0.0, 1.0]  # Keras's binary_accuracy: 0.7 equals neither 0 nor 1
