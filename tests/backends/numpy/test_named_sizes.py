"""Named sizes at run time: T bound once per call from the arrays; a disagreement, or a T too small for the layers,
is a RunError that names the dimension."""
import numpy as np
import pytest

import graphspec
from graphspec.diagnostics import RunError

SPEC = """graphspec: 1
inputs: {a: {shape: [T, 4]}, b: {shape: [T, 4]}, c: {shape: [2 * T + 1, 4]}}
layers:
  - {type: Add, name: add, inputs: [a, b]}
  - {type: Conv1D, name: conv, filters: 3, kernel_size: 3}
  - {type: Conv1D, name: other, filters: 3, kernel_size: 3, inputs: c}
outputs: [conv, other]
"""


@pytest.fixture(scope="module")
def model():
    return graphspec.compile(graphspec.analyze(graphspec.loads(SPEC)), seed=0)


def arrays(a=10, b=10, c=21, batch=2):
    return {name: np.ones((batch, steps, 4), "float32") for name, steps in (("a", a), ("b", b), ("c", c))}


def test_each_call_binds_t_from_the_arrays(model):
    for steps in (3, 10):
        out = model(arrays(steps, steps, 2 * steps + 1))
        assert out["conv"].shape == (2, steps - 2, 3) and out["other"].shape == (2, 2 * steps - 1, 3)


def test_two_inputs_with_t_must_agree(model):
    with pytest.raises(RunError) as error:
        model(arrays(b=12))
    assert str(error.value) == ("input 'b' has 12 on axis 1, where the model expects T: T = 10 (from input 'a' "
                                "axis 1) makes it 10; arrays that share a name must agree on it")


def test_a_multiple_of_a_name_must_be_met(model):
    with pytest.raises(RunError, match=r"input 'c' has 20 on axis 1, where the model expects 2 \* T \+ 1: T = 10"):
        model(arrays(c=20))


def test_a_t_too_small_for_the_layers_is_refused_before_anything_runs(model):
    with pytest.raises(RunError) as error:
        model.predict(arrays(2, 2, 5), progress=False)
    assert str(error.value) == "T = 2 is too small for this model: layer 'conv' outputs T - 2 = 0 there; it needs T >= 3"


def test_a_name_no_array_can_fix_is_explained():
    graph = graphspec.analyze(graphspec.loads("graphspec: 1\ninputs: {x: {shape: [H * W, 2]}}\n"
                                              "layers: [{type: Dense, units: 1}]\n"))
    with pytest.raises(RunError, match=r"input 'x' axis 1 is H \* W, which no other input fixes"):
        graphspec.compile(graph, seed=0)(np.ones((1, 6, 2), "float32"))


def test_a_named_spec_runs_as_the_same_spec_with_null_sizes():
    """Names only add checks: with the same weights, T and null give the same outputs."""
    from support import SPECS
    named = graphspec.check(SPECS / "variable_length_signal.yaml")
    text = (SPECS / "variable_length_signal.yaml").read_text().replace("shape: [T, 8]", "shape: [null, 8]")
    plain = graphspec.analyze(graphspec.loads(text))
    assert str(plain["narrow"].output) == "(None, None, 32)" and str(named["narrow"].output) == "(None, T - 2, 32)"
    first = graphspec.compile(named, seed=3)
    second = graphspec.compile(plain, seed=3)
    x = np.random.default_rng(0).normal(size=(3, 11, 8)).astype("float32")
    np.testing.assert_array_equal(first(x), second(x))
