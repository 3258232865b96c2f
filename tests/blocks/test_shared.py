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
