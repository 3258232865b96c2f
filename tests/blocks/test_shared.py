"""A shared layer or block use: one set of weights, owned by the first use, applied to each input; the NumPy
backend runs it as the same model written with two copies holding equal weights."""
from __future__ import annotations

from pathlib import Path

import numpy as np

import graphspec

SPECS = Path(__file__).resolve().parents[2] / "specs"

FLAT = """\
graphspec: 1
inputs: {left: {shape: [24]}, right: {shape: [24]}}
layers:
  - {type: Dense, name: l_hidden, inputs: left, units: 32, activation: relu}
  - {type: LayerNormalization, name: l_norm}
  - {type: Dense, name: l_code, units: 16}
  - {type: Dense, name: r_hidden, inputs: right, units: 32, activation: relu}
  - {type: LayerNormalization, name: r_norm}
  - {type: Dense, name: r_code, units: 16}
  - {type: Subtract, name: difference, inputs: [l_code, r_code]}
  - {type: Multiply, name: product, inputs: [l_code, r_code]}
  - {type: Dot, name: cosine, inputs: [l_code, r_code], axes: 1, normalize: true}
  - {type: Concatenate, name: compared, inputs: [difference, product, cosine]}
  - {type: Dense, name: hidden_1, units: 16, activation: relu}
  - {type: Dense, name: hidden_2, units: 16, activation: relu}
  - {type: Dense, name: match, units: 1, activation: sigmoid}
"""


def test_weights_are_keyed_once_and_counted_once():
    graph = graphspec.check(SPECS / "siamese_shared.yaml")
    model = graphspec.compile(graph, seed=0)
    assert sorted(model.get_weights()) == ["hidden_1", "hidden_2", "left_code/code", "left_code/hidden",
                                           "left_code/norm", "match"]
    assert graph["right_code/hidden"].weights == {} and graph["right_code/hidden"].params == 0
    assert graph.total_params == graphspec.check(graphspec.loads(FLAT)).total_params - 1_392


def test_runs_as_two_copies_with_equal_weights(tmp_path):
    graph = graphspec.check(SPECS / "siamese_shared.yaml")
    model = graphspec.compile(graph, seed=3)
    weights = model.get_weights()
    flat_weights = {name.replace("left_code/", "l_").replace("right_code/", "r_"): arrays
                    for name, arrays in weights.items()}
    flat_weights |= {f"r_{part}": weights[f"left_code/{part}"] for part in ("hidden", "norm", "code")}
    flat = graphspec.compile(graphspec.check(graphspec.loads(FLAT)), weights=flat_weights)
    rng = np.random.default_rng(0)
    inputs = {"left": rng.normal(size=(5, 24)).astype("float32"), "right": rng.normal(size=(5, 24)).astype("float32")}
    np.testing.assert_allclose(model(inputs), flat(inputs), rtol=1e-6)
    model.save_weights(tmp_path / "w.npz")
    with np.load(tmp_path / "w.npz") as saved:
        assert not any(key.startswith("right_code/") for key in saved.files)
    model.load_weights(tmp_path / "w.npz")


def test_a_shared_layer_reads_the_same_input_to_the_same_output():
    spec = graphspec.loads("""\
graphspec: 2
inputs: {a: {shape: [3]}}
layers:
  - {type: Dense, name: d, inputs: a, units: 2}
  - {shared: d, name: e, inputs: a}
  - {type: Concatenate, name: both, inputs: [d, e]}
""")
    out = graphspec.compile(graphspec.check(spec), seed=1)(np.ones((2, 3), "float32"))
    np.testing.assert_array_equal(out[:, :2], out[:, 2:])


STATES = """\
graphspec: 2
inputs: {x: {shape: [4, 3]}, y: {shape: [4, 3]}, h: {shape: [2]}, c: {shape: [2]}}
layers:
  - {type: LSTM, name: lstm, inputs: x, units: 2, initial_state: [h, c]}
  - {shared: lstm, name: again, inputs: y}
  - {shared: lstm, name: swapped, inputs: y, initial_state: [c, h]}
  - {type: Concatenate, name: both, inputs: [lstm, again, swapped]}
"""


def test_a_shared_use_takes_its_own_initial_state_and_not_the_owners():
    graph = graphspec.check(graphspec.loads(STATES))
    assert [graph[n].sources for n in ("lstm", "again", "swapped")] == [["x", "h", "c"], ["y"], ["y", "c", "h"]]
    model = graphspec.compile(graph, seed=0)
    rng = np.random.default_rng(0)
    feed = {"x": rng.normal(size=(2, 4, 3)), "y": rng.normal(size=(2, 4, 3)), "h": rng.normal(size=(2, 2)),
            "c": rng.normal(size=(2, 2))}
    out = model(feed)
    alone = graphspec.compile(graphspec.check(graphspec.loads(STATES.replace(", initial_state: [h, c]", ""))), seed=0)
    np.testing.assert_array_equal(out[:, 2:4], alone(feed)[:, 2:4])  # `again` runs from zero states either way
    assert not np.allclose(out[:, 2:4], out[:, 4:])
