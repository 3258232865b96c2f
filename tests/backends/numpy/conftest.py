import pytest

import graphspec
from support import SPECS


@pytest.fixture(scope="module")
def seed_cnn():
    return graphspec.compile(graphspec.check(SPECS / "seed_cnn.yaml"), seed=0)


@pytest.fixture(scope="module")
def two_inputs():
    return graphspec.compile(graphspec.check(SPECS / "two_inputs.yaml"), seed=0)
