"""The random image layers' training transforms against Keras 3's (JAX backend): each case's kernel is fed, through
a generator that replays them, the draws that give the transformation Keras drew (fixtures made by
tests/fixtures/keras/augmentation/make_augmentation_fixtures.py), and must return Keras's output."""
import sys
from pathlib import Path

import numpy as np
import pytest
from gradcheck import layer_kernel

from graphspec_backends.numpy.kernels.base import Training

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "keras" / "augmentation"
sys.path.insert(0, str(FIXTURES))
from augmentation_cases import CASES  # noqa: E402

ARRAYS = np.load(FIXTURES / "augmentation_training.npz")


class Replay:
    """A stand-in for np.random.Generator returning the recorded draws in order, each of the size asked for."""

    def __init__(self, values):
        self.values = list(values)

    def _next(self, size):
        value = self.values.pop(0)
        assert value.shape == (() if size is None else np.shape(np.empty(size))), "draws out of step with Keras's"
        return value

    def uniform(self, low=0.0, high=1.0, size=None):
        return self._next(size)

    def integers(self, low, high, size=None):
        return self._next(size)

    def beta(self, a, b, size=None):
        return self._next(size)

    def standard_normal(self, size=None):
        return self._next(size)

    def permutation(self, n):
        return self._next(n)


@pytest.mark.parametrize("name, fields, shape", CASES, ids=[case[0] for case in CASES])
def test_training_transform_matches_keras(name, fields, shape):
    images = ARRAYS[f"{name}/images"]
    draws = [ARRAYS[key] for key in sorted((k for k in ARRAYS.files if k.startswith(f"{name}/draw_")),
                                           key=lambda k: int(k.rsplit("_", 1)[1]))]
    kernel = layer_kernel(fields, [images])
    replay = Replay(draws)
    out, _ = kernel.train_forward([images], [None], Training(replay))
    assert not replay.values, "draws left over: the kernel drew fewer than Keras"
    np.testing.assert_allclose(out, ARRAYS[f"{name}/output"], rtol=1e-4, atol=1e-3)
