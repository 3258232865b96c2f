"""A small CNN learns horizontal from vertical bars (the issue's test of conv and pooling backward in a real fit):
above 95 % accuracy on images it never saw, within a few epochs, from a fixed seed."""
import numpy as np

from support import build

CNN = [{"type": "Conv2D", "filters": 8, "kernel_size": 3, "activation": "relu"},
       {"type": "MaxPooling2D"},
       {"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"},
       {"type": "GlobalMaxPooling2D"},
       {"type": "Dense", "name": "probs", "units": 2, "activation": "softmax"}]


def bars(count, rng, size=12):
    """Noisy images with one bar of 2 pixels, horizontal (label 0) or vertical (label 1), at a random place."""
    images = rng.normal(0, 0.2, (count, size, size, 1)).astype("float32")
    labels = rng.integers(0, 2, count)
    places = rng.integers(0, size - 1, count)
    for i, (label, place) in enumerate(zip(labels, places)):
        bar = (slice(place, place + 2), slice(None)) if label == 0 else (slice(None), slice(place, place + 2))
        images[(i, *bar, 0)] += 1.0
    return images, labels


def test_a_small_cnn_learns_bars_from_their_orientation():
    rng = np.random.default_rng(0)
    (x, y), (x_val, y_val) = bars(256, rng), bars(128, rng)
    model, _ = build(CNN, {"image": {"shape": [12, 12, 1]}})
    model.compile_training(loss="sparse_categorical_crossentropy", optimizer={"type": "adam", "learning_rate": 0.01},
                           metrics=["accuracy"])
    model.fit(x, y, epochs=5, batch_size=32, progress=False)
    assert model.evaluate(x_val, y_val)["accuracy"] > 0.95
