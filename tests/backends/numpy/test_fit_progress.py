"""fit's per-epoch progress bar ends with the validation results beside the training ones, as Keras prints them,
and the history holds them under the same names."""
import numpy as np

from support import build

X = np.random.default_rng(3).standard_normal((12, 4)).astype("float32")
Y = np.arange(12) % 3


def classifier():
    model, _ = build([{"type": "Dense", "name": "probs", "units": 3, "activation": "softmax"}], {"x": {"shape": [4]}})
    return model.compile_training(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])


def test_the_bar_shows_val_loss_and_val_accuracy_at_each_epochs_end(capsys):
    history = classifier().fit(X[:8], Y[:8], epochs=2, batch_size=4, validation_data=(X[8:], Y[8:]))
    shown = capsys.readouterr().err
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    for epoch in (0, 1):
        logs = ", ".join(f"{key}={values[epoch]:.4f}" for key, values in history.history.items())
        assert f"epoch {epoch + 1}/2" in shown and logs in shown, (logs, shown)


def test_the_validation_results_are_evaluates_after_the_epoch():
    model = classifier()
    history = model.fit(X[:8], Y[:8], epochs=1, batch_size=4, validation_data=(X[8:], Y[8:]),
                        progress=False).history
    assert model.evaluate(X[8:], Y[8:], batch_size=4) == {"loss": history["val_loss"][0],
                                                          "accuracy": history["val_accuracy"][0]}
