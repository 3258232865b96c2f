"""The random image layers in training mode: each step draws anew from the plan's generator (two steps differ), the
same seed gives the same draws, inference stays the identity, and a model with an augmentation front trains."""
import re
from pathlib import Path

import numpy as np
import pytest
from gradcheck import layer_kernel
from support import build

import graphspec
from graphspec.diagnostics import RunError
from graphspec.layers import LAYERS
from graphspec.layers.augmentation import Augmentation
from graphspec_backends.numpy.kernels.base import Training

FIELDS = {"RandomRotation": {"factor": 0.2}, "RandomZoom": {"height_factor": 0.2}, "RandomContrast": {"factor": 0.5},
          "RandomTranslation": {"height_factor": 0.2, "width_factor": 0.2}, "RandomBrightness": {"factor": 0.2},
          "RandomHue": {"factor": 0.5}, "RandomSaturation": {"factor": 0.5}, "RandomSharpness": {"factor": 0.9},
          "RandomPosterization": {"factor": [1, 4]}, "RandomColorDegeneration": {"factor": 0.5},
          "RandomCrop": {"height": 4, "width": 4}, "RandomShear": {"x_factor": 0.3},
          "RandomColorJitter": {"brightness_factor": 0.2}, "Solarization": {"threshold_factor": 0.8}}
RANDOM = sorted(name for name, cls in LAYERS.items()
                if issubclass(cls, Augmentation) and name not in {"Equalization"})
IMAGES = np.random.default_rng(0).uniform(20, 235, (8, 6, 7, 3))


def steps(kind, seed, count=2):
    kernel = layer_kernel({"type": kind, **FIELDS.get(kind, {})}, [IMAGES])
    training = Training(np.random.default_rng(seed))
    return [kernel.train_forward([IMAGES], [None], training)[0] for _ in range(count)]


@pytest.mark.parametrize("kind", RANDOM)
def test_each_step_draws_anew_and_the_seed_reproduces_the_draws(kind):
    first, second = steps(kind, seed=3)
    assert not np.array_equal(first, second), f"{kind}: two training steps gave the same output"
    again = steps(kind, seed=3)
    np.testing.assert_array_equal(first, again[0])
    np.testing.assert_array_equal(second, again[1])


def test_equalization_is_deterministic_but_changes_the_images_while_training():
    first, second = steps("Equalization", seed=3)
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first, IMAGES)


def test_random_flip_flips_about_half_of_the_images_and_keeps_them_otherwise():
    (out,) = steps("RandomFlip", seed=1, count=1)
    turned = np.all(out == IMAGES[:, ::-1, ::-1], axis=(1, 2, 3))
    kept = np.all(out == IMAGES, axis=(1, 2, 3))
    assert np.all(turned | kept) and 0 < turned.sum() < len(IMAGES)


FLIP_FRONT = [{"type": "RandomFlip", "mode": "horizontal"}, {"type": "Rescaling", "scale": 1 / 255},
              {"type": "Conv2D", "filters": 4, "kernel_size": 3, "activation": "relu"},
              {"type": "GlobalAveragePooling2D"}, {"type": "Dense", "units": 2, "activation": "softmax"}]
LABELS = (IMAGES.mean(axis=(1, 2, 3)) > IMAGES.mean()).astype(np.int64)


def fit_flip_front(seed):
    model, _ = build(FLIP_FRONT, {"image": {"shape": [6, 7, 3]}})
    before = model(IMAGES.astype(np.float32))
    trainer = model.compile_training(loss="sparse_categorical_crossentropy", optimizer="adam", seed=seed)
    history = trainer.fit(IMAGES.astype(np.float32), LABELS, epochs=3, batch_size=4, shuffle=False, progress=False)
    return model, before, history.history["loss"]


def test_a_model_with_a_random_flip_and_rescaling_front_trains_with_fit_and_infers_unchanged():
    model, before, losses = fit_flip_front(seed=0)
    assert len(losses) == 3 and np.isfinite(losses).all()
    after = model(IMAGES.astype(np.float32))
    assert not np.allclose(before, after)
    np.testing.assert_array_equal(model(IMAGES.astype(np.float32)), after)


def test_the_training_seed_decides_the_flips():
    assert fit_flip_front(seed=0)[2] == fit_flip_front(seed=0)[2]
    assert fit_flip_front(seed=0)[2] != fit_flip_front(seed=1)[2]


@pytest.mark.parametrize("layer, needs", [({"type": "RandomHue", "factor": 0.2}, "3 channels (RGB)"),
                                          ({"type": "RandomGrayscale"}, "1 or 3 channels (grey or RGB)")])
def test_a_colour_layer_on_images_that_are_not_rgb_is_a_run_error_while_training(layer, needs):
    model, _ = build([{**layer, "name": "colour"}, {"type": "Flatten"}, {"type": "Dense", "units": 1}],
                     {"image": {"shape": [4, 4, 2]}})
    trainer = model.compile_training(loss="mse", optimizer="sgd")
    with pytest.raises(RunError, match=rf"layer 'colour' \({layer['type']}\) .* needs {re.escape(needs)}, .* has 2"):
        trainer.train_on_batch(np.ones((2, 4, 4, 2), np.float32), np.ones((2, 1), np.float32))


PREPROCESSING = {"Rescaling": {"scale": 0.5}, "Normalization": {"mean": 1.0, "variance": 2.0},
                 "CenterCrop": {"height": 3, "width": 3}}


@pytest.mark.parametrize("kind", RANDOM + ["Equalization", *PREPROCESSING])
def test_float32_images_keep_float32_through_forward_and_backward(kind):
    images = IMAGES.astype(np.float32)
    kernel = layer_kernel({"type": kind, **FIELDS.get(kind, {}), **PREPROCESSING.get(kind, {})}, [images])
    out, backward = kernel.train_forward([images], [None], Training(np.random.default_rng(0)))
    gradient = backward(np.ones_like(out)).inputs[0]
    assert (out.dtype, gradient.dtype, gradient.shape) == (np.float32, np.float32, images.shape)


def test_the_example_specs_augmentation_fronts_train():
    """augmented_cnn's geometric front, and color_augmented_cnn's colour front on a head of its own (the spec has
    two outputs)."""
    specs = Path(__file__).resolve().parents[3] / "specs"
    model = graphspec.compile(graphspec.check(specs / "augmented_cnn.yaml"), seed=0)
    trainer = model.compile_training(loss="sparse_categorical_crossentropy", optimizer="adam")
    pixels = np.random.default_rng(1).integers(0, 256, (2, 40, 40, 3)).astype(np.int32)
    assert np.isfinite(trainer.train_on_batch(pixels, np.array([3, 7]))["loss"])
    colour = graphspec.check(specs / "color_augmented_cnn.yaml").spec.layers[:16]
    model, _ = build([layer.model_dump(exclude_unset=True) for layer in colour]
                     + [{"type": "GlobalAveragePooling2D"}, {"type": "Dense", "units": 2}], {"photo": {"shape": [8, 8, 3]}})
    trainer = model.compile_training(loss="mse", optimizer="sgd")
    photos = np.random.default_rng(2).uniform(0, 255, (4, 8, 8, 3)).astype(np.float32)
    assert np.isfinite(trainer.train_on_batch(photos, np.zeros((4, 2), np.float32))["loss"])
