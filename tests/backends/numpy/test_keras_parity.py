"""Weights taken from a Keras 3 model of the same architecture reproduce its outputs on the NumPy backend.

Each tests/fixtures/keras/<name>.npz holds a Keras model's weights (in graphspec's names and layouts), an input and
Keras's output for it (training=False); make_fixtures.py beside them says how they were made. Keras is not needed here.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import graphspec
from support import read_fixture

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "keras"
RTOL, ATOL = 1e-4, 1e-5

def spec_path(name: str) -> Path:
    """The fixture's own spec (extra cases, reduced copies) or the example spec of the same name."""
    candidates = [FIXTURES / f"{name}.yaml", ROOT / "specs" / f"{name}.yaml", ROOT / "specs" / f"{name}.json"]
    return next(path for path in candidates if path.exists())


def fixture_params() -> list:
    return [pytest.param(path, id=path.stem) for path in sorted(FIXTURES.glob("*.npz"))]


def test_there_are_fixtures():
    assert len(list(FIXTURES.glob("*.npz"))) >= 10


@pytest.mark.parametrize("path", fixture_params())
def test_numpy_backend_reproduces_keras(path):
    weights, inputs, expected = read_fixture(path)
    model = graphspec.compile(graphspec.check(spec_path(path.stem)), seed=0)
    if weights:  # a fixture without weights (deterministic initializers) checks the spec's own initial weights
        model.set_weights(weights)
    got = model(inputs)
    got = got if isinstance(got, dict) else {model.output_names[0]: got}
    assert sorted(got) == sorted(expected)
    for name, want in expected.items():
        assert got[name].shape == want.shape, f"{name}: shape {got[name].shape}, Keras {want.shape}"
        difference = float(np.max(np.abs(got[name].astype(np.float64) - want)))
        np.testing.assert_allclose(got[name], want, rtol=RTOL, atol=ATOL,
                                   err_msg=f"output {name}: max abs difference from Keras {difference:.3g}")
