"""Training behaviour: stable losses, clear data errors, non-finite steps stopped with the weights kept, frozen and
unreached rows untouched, seeded reproducibility."""
import numpy as np
import pytest

from graphspec.diagnostics import RunError
from graphspec_backends.numpy.training import LOSSES, TrainingError
from graphspec_backends.numpy.training import losses  # noqa: F401  (registers the losses)
from support import build

CLASSIFIER = [{"type": "Dense", "name": "hidden", "units": 6, "activation": "relu"},
              {"type": "Dense", "name": "probs", "units": 3, "activation": "softmax"}]
X = np.random.default_rng(0).standard_normal((10, 4)).astype("float32")
Y = np.arange(10) % 3


def classifier(**compile_args):
    model, _ = build(CLASSIFIER, {"x": {"shape": [4]}})
    return model.compile_training(**{"loss": "sparse_categorical_crossentropy", "optimizer": "adam", **compile_args})


@pytest.mark.parametrize("loss", ["categorical_crossentropy", "binary_crossentropy"])
def test_logits_of_1e4_give_finite_losses_and_gradients(loss):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 3.0]], np.float32)
    labels = np.eye(3, dtype="float32")[[1, 2]]
    value, gradient = LOSSES.resolve({"type": loss, "from_logits": True})(labels, logits)
    assert np.isfinite(value) and np.isfinite(gradient).all() and value > 1e3


def test_probabilities_are_clipped_as_keras_clips_them():
    value, gradient = LOSSES.resolve("categorical_crossentropy")(np.array([[0, 1.0]]), np.array([[1.0, 0.0]]))
    assert value == pytest.approx(-np.log(1e-7)) and np.isfinite(gradient).all()


def test_class_id_out_of_range_names_the_id_and_position():
    with pytest.raises(RunError, match=r"class id 7 at position \(3,\) is outside \[0, 3\)"):
        classifier().fit(X, np.array([0, 1, 2, 7, 0, 1, 2, 0, 1, 2]), progress=False)


def test_x_and_y_of_different_lengths():
    with pytest.raises(RunError, match="x has 10 samples but y has 9"):
        classifier().fit(X, Y[:9], progress=False)


def test_nan_in_data_is_refused():
    x = X.copy()
    x[2, 1] = np.nan
    with pytest.raises(RunError, match=r"input 'x' holds nan at position \(2, 1\)"):
        classifier().fit(x, Y, progress=False)


def test_one_hot_labels_for_a_sparse_loss_are_explained():
    with pytest.raises(RunError, match="categorical_crossentropy"):
        classifier().fit(X, np.eye(3)[Y], progress=False)


def test_a_loss_that_overflows_stops_with_the_layer_and_keeps_the_weights():
    model = classifier(optimizer={"type": "sgd", "learning_rate": 1e30})
    model.fit(X, Y, epochs=1, batch_size=10, progress=False)
    kept = model.get_weights()
    with pytest.raises(TrainingError, match=r"epoch 1, step 1: .*layer '(hidden|probs)'") as error:
        model.fit(X, Y, epochs=1, batch_size=10, progress=False)
    assert "last good step" in str(error.value)
    for layer, arrays in model.get_weights().items():
        for name, array in arrays.items():
            assert np.array_equal(array, kept[layer][name]) and np.isfinite(array).all()


def test_fit_on_one_batch_equals_train_on_batch_steps():
    a, b = classifier(), classifier()
    a.fit(X, Y, epochs=3, batch_size=len(Y), shuffle=False, progress=False)
    for _ in range(3):
        b.train_on_batch(X, Y)
    for layer, arrays in a.get_weights().items():
        for name, array in arrays.items():
            assert np.array_equal(array, b.get_weights()[layer][name])


def test_seeded_shuffled_runs_repeat():
    runs = [classifier(seed=5).fit(X, Y, epochs=2, batch_size=3, progress=False).history["loss"] for _ in range(2)]
    assert runs[0] == runs[1]


def test_evaluate_and_metrics():
    model = classifier(metrics=["accuracy", "mae"])
    history = model.fit(X, Y, epochs=2, batch_size=5, validation_split=0.2, progress=False)
    assert set(history.history) == {"loss", "accuracy", "mae", "val_loss", "val_accuracy", "val_mae"}
    result = model.evaluate(X, Y)
    assert 0 <= result["accuracy"] <= 1 and result["loss"] > 0


def test_unknown_optimizer_argument_gets_did_you_mean():
    with pytest.raises(RunError, match="did you mean 'learning_rate'"):
        classifier(optimizer={"type": "adam", "learning_rat": 0.1})


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_unreached_and_frozen_embedding_rows_stay_bit_identical(optimizer):
    layers = [{"type": "Embedding", "name": "table", "input_dim": 20, "output_dim": 4},
              {"type": "Embedding", "name": "frozen", "input_dim": 20, "output_dim": 4, "trainable": False,
               "inputs": "ids"},
              {"type": "Add", "inputs": ["table", "frozen"]}, {"type": "GlobalAveragePooling1D"},
              {"type": "Dense", "units": 1, "activation": "sigmoid"}]
    model, _ = build(layers, {"ids": {"shape": [5], "dtype": "int32"}})
    start = model.get_weights()
    ids = np.random.default_rng(1).integers(0, 10, (8, 5)).astype("int32")  # rows 10..19 never appear
    model.compile_training(loss="binary_crossentropy", optimizer=optimizer)
    model.fit(ids, np.arange(8) % 2, epochs=3, batch_size=4, progress=False)
    after = model.get_weights()
    assert np.array_equal(after["table"]["embeddings"][10:], start["table"]["embeddings"][10:])
    assert not np.array_equal(after["table"]["embeddings"][:10], start["table"]["embeddings"][:10])
    assert np.array_equal(after["frozen"]["embeddings"], start["frozen"]["embeddings"])


def test_a_masked_output_averages_the_loss_over_unmasked_steps_as_keras():
    prediction = np.array([[[1.0], [2.0], [5.0]]], np.float32)
    mask = np.array([[True, True, False]])
    value, gradient = LOSSES.resolve("mse")(np.zeros((1, 3, 1)), prediction, mask)
    assert value == pytest.approx((1 + 4) / 2) and gradient[0, 2, 0] == 0


def test_compile_training_reads_the_spec_block():
    import graphspec
    from support import SPECS

    model = graphspec.compile(graphspec.check(SPECS / "text_classifier.yaml"), seed=0).compile_training()
    trainer = model._training()
    assert type(trainer.loss).__name__ == "BinaryCrossentropy" and trainer.optimizer.learning_rate == 0.001
    ids = np.random.default_rng(0).integers(0, 10000, (16, 200)).astype("int32")
    history = model.fit(ids, np.arange(16) % 2, epochs=2, batch_size=8, progress=False)
    assert set(history.history) == {"loss", "accuracy"}


def test_ctrl_c_mid_epoch_keeps_the_weights_of_the_last_completed_epoch():
    model = classifier()
    trainer, calls = model._training(), []
    step = trainer._step

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 5:  # the first step of the third epoch (two steps per epoch)
            raise KeyboardInterrupt
        return step(*args)

    after_two = classifier()
    after_two.fit(X, Y, epochs=2, batch_size=5, progress=False)
    trainer._step = interrupted
    history = model.fit(X, Y, epochs=4, batch_size=5, progress=False)
    assert history.interrupted and len(history.history["loss"]) == 2
    for layer, arrays in after_two.get_weights().items():
        for name, array in arrays.items():
            assert np.array_equal(model.get_weights()[layer][name], array)
