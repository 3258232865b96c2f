"""keras.applications models, converted from their Keras config, check and run as Keras builds and runs them.

tests/fixtures/keras/applications/ holds, for MobileNetV2, ResNet50 and Xception (weights=None, small inputs, a
10-class head), the spec generated from the Keras model's get_config() (<model>.yaml), every layer's output shape,
weights and parameter counts as Keras reports them (<model>.json), and an input with Keras's outputs for it
(<model>.npz: the softmax probabilities and the pooled features feeding the head). No weights are kept: both
make_applications.py and this test draw them from random_weights.py. Keras is not needed here.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import yaml

import graphspec
from fixtures.keras.applications.convert import ConversionError, spec_from_config
from fixtures.keras.applications.random_weights import draw, draw_all
from graphspec.layers import LAYERS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "keras" / "applications"
MODELS = ["mobilenet_v2", "resnet50", "xception"]
RTOL, ATOL = 1e-4, 1e-5


def missing_types(name: str) -> list[str]:
    """Layer types the generated spec uses that graphspec does not have (yet)."""
    layers = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text())["layers"]
    return sorted({layer["type"] for layer in layers} - set(LAYERS))


@cache
def checked(name: str) -> graphspec.CheckedGraph:
    missing = missing_types(name)
    if missing:
        pytest.skip(f"{name}: graphspec lacks the layer type(s) {', '.join(missing)}")
    return graphspec.check(FIXTURES / f"{name}.yaml")


@cache
def keras_table(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.mark.parametrize("name", MODELS)
def test_generated_spec_checks_without_errors(name):
    graph = checked(name)
    assert graph.errors == []
    assert len(graph.layer_names()) == len(keras_table(name)["layers"]) - 1  # Keras counts its InputLayer too


@pytest.mark.parametrize("name", MODELS)
def test_every_layer_has_keras_output_shape_and_weights(name):
    graph, table = checked(name), keras_table(name)["layers"]
    assert sorted(graph.nodes) == sorted(table)
    differences = []
    for layer, keras in table.items():
        info = graph[layer]
        ours = {"output_shape": info.output.shape, "weights": [[w, list(s)] for w, s in info.weights.items()],
                "trainable_params": info.trainable_params, "non_trainable_params": info.non_trainable_params}
        theirs = {"output_shape": tuple(keras["output_shape"]), "weights": keras["weights"],
                  "trainable_params": keras["trainable_params"],
                  "non_trainable_params": keras["non_trainable_params"]}
        differences += [f"{layer} ({keras['class_name']}) {key}: graphspec {ours[key]}, Keras {theirs[key]}"
                        for key in ours if ours[key] != theirs[key]]
    assert differences == []


@pytest.mark.parametrize("name", MODELS)
def test_total_params_equal_keras(name):
    graph, table = checked(name), keras_table(name)
    assert (graph.trainable_params, graph.non_trainable_params) == (table["trainable_params"],
                                                                    table["non_trainable_params"])


@pytest.mark.parametrize("name", MODELS)
def test_numpy_backend_reproduces_keras_outputs(name):
    graph = checked(name)
    model = graphspec.compile(graph, weights=draw_all({layer: info.weights for layer, info in graph.nodes.items()
                                                       if info.weights}))
    with np.load(FIXTURES / f"{name}.npz") as archive:
        inputs = {key.removeprefix("inputs/"): archive[key] for key in archive.files if key.startswith("inputs/")}
        expected = {key.removeprefix("outputs/"): archive[key] for key in archive.files if key.startswith("outputs/")}
    got = model(inputs)
    assert sorted(got) == sorted(expected)
    for output, want in expected.items():
        assert got[output].shape == want.shape
        difference = float(np.max(np.abs(got[output].astype(np.float64) - want)))
        np.testing.assert_allclose(got[output], want, rtol=RTOL, atol=ATOL,
                                   err_msg=f"{name} output {output}: max abs difference from Keras {difference:.3g}")


def tensor(layer: str) -> dict:
    return {"class_name": "__keras_tensor__", "config": {"shape": [None, 4], "keras_history": [layer, 0, 0]}}


def keras_config(**dense_config) -> dict:
    """A two-layer functional config as Keras 3 serialises it: an InputLayer and a Dense."""
    policy = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
    dense = {"name": "out", "trainable": True, "dtype": policy, "units": 3, "groups": 1} | dense_config
    return {"name": "tiny", "output_layers": [["out", 0, 0]], "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "name": "x", "inbound_nodes": [],
         "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False, "name": "x"}},
        {"module": "keras.layers", "class_name": "Dense", "name": "out", "config": dense,
         "inbound_nodes": [{"args": [tensor("x")], "kwargs": {"mask": None}}]}]}


def test_converter_carries_config_fields_and_wiring():
    document, dropped = spec_from_config(keras_config(), fields=lambda kind: {"units"})
    assert document == {"graphspec": 1, "name": "tiny", "inputs": {"x": {"shape": [4], "dtype": "float32"}},
                        "layers": [{"type": "Dense", "name": "out", "inputs": "x", "units": 3}], "outputs": "out"}
    assert dropped == {"Dense.groups": 1}


def test_converter_keeps_a_field_graphspec_has_and_a_frozen_layer():
    document, dropped = spec_from_config(keras_config(trainable=False), fields=lambda kind: {"units", "groups"})
    assert document["layers"][0] == {"type": "Dense", "name": "out", "inputs": "x", "trainable": False, "units": 3,
                                     "groups": 1}
    assert dropped == {}


@pytest.mark.parametrize("config, message", [
    ({"groups": 2}, "Dense.groups = 2 matters"),
    ({"groups": True}, "Dense.groups = True matters"),
    ({"dtype": {"class_name": "DTypePolicy", "config": {"name": "mixed_float16"}}}, "is not float32"),
])
def test_converter_refuses_to_drop_what_changes_numbers(config, message):
    with pytest.raises(ConversionError, match=message):
        spec_from_config(keras_config(**config), fields=lambda kind: {"units"})


def test_drawn_weights_depend_on_name_and_seed_only():
    kernel = draw("conv", "kernel", (3, 3, 8, 16))
    assert kernel.dtype == np.float32
    np.testing.assert_array_equal(kernel, draw("conv", "kernel", (3, 3, 8, 16)))
    assert not np.array_equal(kernel, draw("conv2", "kernel", (3, 3, 8, 16)))
    assert abs(float(kernel.std()) - (2 / 72) ** 0.5) < 0.02  # He's scale, fan-in 3 * 3 * 8
