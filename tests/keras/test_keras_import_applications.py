"""graphspec.keras imports keras.applications models (weights=None, 32×32 inputs, a 10-class head) as Keras 3 saved
them (.keras, and legacy .h5): the spec checks, every layer's output shape, weights and parameter counts are
Keras's, and the NumPy backend with the imported weights gives Keras's outputs.

tests/fixtures/keras/applications/ (make_applications.py) keeps each archive's config.json and the layout of its
weights file, and the groups and datasets of its .h5, from which keras_archive.py remakes both files with weights
drawn by name (random_weights.py), and Keras's layer table and outputs (<model>.json, <model>.npz) with those
weights. Keras is not needed here.
"""
from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import graphspec
from fixtures.keras.applications.random_weights import draw
from graphspec.cli import main
from graphspec.keras import from_keras

h5py = pytest.importorskip("h5py")
from fixtures.keras.applications.keras_archive import write_archive, write_h5  # noqa: E402 - needs h5py

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "keras" / "applications"
MODELS = ["mobilenet_v2", "resnet50", "vgg16", "densenet121", "efficientnet_b0"]
RTOL, ATOL = 1e-4, 1e-5


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """(name, suffix) -> (the checked spec, the imported weights) of the model's .keras (imported once) or .h5."""
    folder = tmp_path_factory.mktemp("applications")
    write = {".keras": write_archive, ".h5": write_h5}

    def load(name, suffix):
        spec, weights = from_keras(write[suffix](FIXTURES, name, folder / f"{name}{suffix}", draw))
        return graphspec.check(spec), weights
    archived = cache(lambda name: load(name, ".keras"))
    return lambda name, suffix=".keras": archived(name) if suffix == ".keras" else load(name, suffix)


@cache
def keras_table(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.mark.parametrize("name", MODELS)
def test_imported_application_checks_with_keras_layers(name, imported):
    graph, _ = imported(name)
    assert graph.errors == [] and graph.warnings == []
    assert sorted(graph.layer_names()) == sorted(n for n, layer in keras_table(name)["layers"].items()
                                                 if layer["class_name"] != "InputLayer")


@pytest.mark.parametrize("name", MODELS)
def test_every_imported_layer_has_keras_output_shape_weights_and_params(name, imported):
    graph, _ = imported(name)
    differences = []
    for layer, keras in keras_table(name)["layers"].items():
        if keras["class_name"] == "InputLayer":
            assert graph.input_types[layer].shape == tuple(keras["output_shape"])
            continue
        info = graph[layer]
        ours = {"output_shape": info.output.shape, "weights": [[w, list(s)] for w, s in info.weights.items()],
                "trainable_params": info.trainable_params, "non_trainable_params": info.non_trainable_params}
        theirs = {**{key: keras[key] for key in ours}, "output_shape": tuple(keras["output_shape"])}
        differences += [f"{layer} ({keras['class_name']}) {key}: graphspec {ours[key]}, Keras {theirs[key]}"
                        for key in ours if ours[key] != theirs[key]]
    assert differences == []


@pytest.mark.parametrize("name", MODELS)
def test_imported_total_and_trainable_params_equal_keras(name, imported):
    graph, _ = imported(name)
    table = keras_table(name)
    assert (graph.trainable_params, graph.non_trainable_params) == (table["trainable_params"],
                                                                    table["non_trainable_params"])


@pytest.mark.parametrize("name", MODELS)
def test_numpy_backend_with_imported_weights_gives_keras_outputs(name, imported):
    graph, weights = imported(name)
    assert sorted(weights) == sorted(layer for layer, info in graph.nodes.items() if info.weights)
    model = graphspec.compile(graph, weights=weights)
    with np.load(FIXTURES / f"{name}.npz") as archive:
        got = model({"image": archive["inputs/image"]})
        expected = {key.removeprefix("outputs/"): archive[key] for key in archive.files if key.startswith("outputs/")}
    assert sorted(got) == sorted(expected)
    for output, want in expected.items():
        scale = float(np.max(np.abs(want)))
        difference = float(np.max(np.abs(got[output].astype(np.float64) - want)))
        assert got[output].shape == want.shape and difference <= RTOL * scale, \
            f"{name} output {output}: max difference from Keras {difference:.3g}, Keras's largest value {scale:.3g}"
        np.testing.assert_allclose(got[output], want, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", MODELS)
def test_legacy_h5_imports_the_weights_the_archive_holds(name, imported):
    graph, weights = imported(name, ".h5")
    _, archived = imported(name)
    assert graph.errors == [] and graph.total_params == keras_table(name)["trainable_params"] + \
        keras_table(name)["non_trainable_params"]
    assert {layer: list(arrays) for layer, arrays in weights.items()} == \
        {layer: list(arrays) for layer, arrays in archived.items()}
    assert all(np.array_equal(array, archived[layer][weight]) for layer, arrays in weights.items()
               for weight, array in arrays.items())


@pytest.mark.parametrize("name", MODELS)
def test_import_keras_command_writes_a_spec_that_checks(name, tmp_path):
    config = tmp_path / f"{name}.json"
    config.write_bytes(gzip.decompress((FIXTURES / f"{name}.config.json.gz").read_bytes()))
    spec = tmp_path / f"{name}.yaml"
    assert main(["import-keras", str(config), "-o", str(spec)]) == 0
    assert main(["check", str(spec)]) == 0
