"""specs/resnet50.yaml and specs/mobilenet_v2.yaml, written with blocks, are keras.applications' models: at 224×224
with 1000 classes they have Keras's parameter counts, and at the fixtures' 32×32 with 10 classes every layer has the
output shape, weights and parameter counts Keras reports, and the NumPy backend reproduces Keras's outputs
(tests/fixtures/keras/applications/, made by make_applications.py; weights drawn from random_weights.py by name).

A block use's layers are named `use/layer`; Keras's names are the same with '_' for '/': conv2/block1/1/conv is
Keras's conv2_block1_1_conv, block_4/expand_BN its block_4_expand_BN.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import graphspec
from fixtures.keras.applications.random_weights import draw

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "keras" / "applications"
MODELS = {"resnet50": ("avg_pool", 25_636_712, 53_120), "mobilenet_v2": ("global_average_pooling2d", 3_538_984,
                                                                          34_112)}


def keras_name(name: str) -> str:
    return name.replace("/", "_")


@cache
def small(model: str) -> graphspec.CheckedGraph:
    """The spec at the fixtures' size, also returning the pooled features, as make_applications.py builds it."""
    text = (ROOT / "specs" / f"{model}.yaml").read_text()
    assert "params: {size: 224, classes: 1000}" in text
    text = text.replace("params: {size: 224, classes: 1000}", "params: {size: 32, classes: 10}")
    text += f"outputs: [predictions, {MODELS[model][0]}]\n"
    return graphspec.check(graphspec.loads(text))


@pytest.mark.parametrize("model", MODELS)
def test_full_size_has_keras_parameter_counts(model):
    graph = graphspec.check(ROOT / "specs" / f"{model}.yaml")
    _, total, frozen = MODELS[model]
    assert (graph.total_params, graph.non_trainable_params) == (total, frozen)
    assert len((ROOT / "specs" / f"{model}.yaml").read_text().splitlines()) < 80


@pytest.mark.parametrize("model", MODELS)
def test_every_layer_is_kerass(model):
    graph, table = small(model), json.loads((FIXTURES / f"{model}.json").read_text())
    ours = {keras_name(name): graph[name] for name in graph.nodes}
    assert sorted(ours) == sorted(table["layers"])
    differences = []
    for layer, keras in table["layers"].items():
        info = ours[layer]
        got = [info.output.shape, [[w, list(s)] for w, s in info.weights.items()], info.trainable_params,
               info.non_trainable_params]
        want = [tuple(keras["output_shape"]), keras["weights"], keras["trainable_params"],
                keras["non_trainable_params"]]
        differences += [f"{layer}: graphspec {got}, Keras {want}"] if got != want else []
    assert differences == []
    assert (graph.trainable_params, graph.non_trainable_params) == (table["trainable_params"],
                                                                    table["non_trainable_params"])


@pytest.mark.parametrize("model", MODELS)
def test_runs_to_kerass_outputs_with_the_same_weights(model):
    graph = small(model)
    weights = {name: {w: draw(keras_name(name), w, shape) for w, shape in info.weights.items()}
               for name, info in graph.nodes.items() if info.weights}
    compiled = graphspec.compile(graph, weights=weights)
    with np.load(FIXTURES / f"{model}.npz") as archive:
        got = compiled({"image": archive["inputs/image"]})
        for output in graph.outputs:
            np.testing.assert_allclose(got[output], archive[f"outputs/{output}"], rtol=1e-4, atol=1e-5)
