import pytest
from pydantic import ValidationError

import graphspec
from graphspec.layers import Conv2D, Dense, Flatten
from support import SPECS


def test_load_and_check_a_file():
    graph = graphspec.check(graphspec.load(SPECS / "seed_cnn.yaml"))
    assert graph.total_params == 840_578
    assert str(graph["conv1"].output) == "(None, 62, 62, 64)"
    assert graph.output_types["probs"].shape == (None, 2)


def test_check_accepts_a_path():
    assert graphspec.check(str(SPECS / "mnist_mlp.json")).total_params == 101_770


def test_check_raises_with_every_diagnostic():
    spec = graphspec.loads("graphspec: 1\nlayers:\n  - {type: Dense, units: -1, input_dim: 3}\n  - {type: Dense}\n")
    with pytest.raises(graphspec.SpecError) as caught:
        graphspec.check(spec)
    assert [d.code.value for d in caught.value.errors] == ["GS204", "GS203"]
    assert caught.value.graph is not None


def test_load_raises_on_unparseable_text():
    with pytest.raises(graphspec.SpecError) as caught:
        graphspec.loads("{", format="json")
    assert caught.value.errors[0].code.value == "GS103"


def test_build_a_spec_in_python():
    spec = graphspec.Spec(name="mnist_cnn", layers=[
        Conv2D(filters=32, kernel_size=3, activation="relu", input_shape=(28, 28, 1)),
        Flatten(),
        Dense(units=10, activation="softmax"),
    ])
    graph = graphspec.check(spec)
    assert [str(graph[n].output) for n in graph.layer_names()] == ["(None, 26, 26, 32)", "(None, 21632)", "(None, 10)"]
    assert graph.total_params == 320 + 216_330


def test_python_spec_errors_have_paths_without_lines():
    spec = graphspec.Spec(layers=[Dense(units=3, input_dim=4), Conv2D(filters=3, kernel_size=3)])
    with pytest.raises(graphspec.SpecError) as caught:
        graphspec.check(spec)
    (diagnostic,) = caught.value.errors
    assert (diagnostic.code.value, diagnostic.path, diagnostic.line) == ("GS400", "layers[1]", None)


def test_spec_from_dicts_validates_layers_by_type():
    spec = graphspec.Spec.model_validate({"layers": [{"type": "Dense", "units": 2, "input_dim": 3}]})
    assert isinstance(spec.layers[0], Dense)


def test_a_layer_built_in_python_raises_graphspecs_error_with_the_hint():
    with pytest.raises(graphspec.SpecError) as caught:
        Dense(unitz=3)
    assert str(caught.value) == ("Dense.unitz: error[GS202]: unknown field 'unitz' for Dense\n"
                                 "    hint: did you mean 'units'?")  # and not also: Dense needs 'units'
    assert [(d.code.value, d.path) for d in caught.value.diagnostics] == [("GS202", "Dense.unitz")]
    assert [e["type"] for e in caught.value.errors()] == ["missing", "extra_forbidden"]  # still pydantic's error too
    assert isinstance(caught.value, ValidationError) and caught.value.__suppress_context__


def test_several_bad_fields_of_a_python_layer_are_told_at_once():
    with pytest.raises(graphspec.SpecError) as caught:
        Conv2D(nb_filter=8, kernel_size="3", activation="rlu")
    assert [(d.path, d.hint) for d in caught.value.diagnostics] == [
        ("Conv2D.activation", "did you mean 'relu'?"),
        ("Conv2D.nb_filter", "'nb_filter' is the Keras 1 name: Keras 3 calls it filters"),
        ("Conv2D.kernel_size", "remove the quotes: kernel_size: 3")]


def test_validating_a_mapping_still_raises_pydantics_error_for_the_reader():
    from graphspec.layers import layer_adapter
    with pytest.raises(ValidationError) as caught:
        layer_adapter().validate_python({"type": "Dense", "unitz": 3})
    assert type(caught.value) is ValidationError
    assert [e["type"] for e in caught.value.errors()] == ["missing", "extra_forbidden"]


def test_a_python_spec_diagnostic_is_placed_by_its_path():
    spec = graphspec.Spec(layers=[Dense(units=3, input_dim=4), Conv2D(filters=3, kernel_size=3)])
    (diagnostic,) = graphspec.analyze(spec).diagnostics
    assert diagnostic.format().startswith("layers[1]: error[GS400]: layer 'conv2d': Conv2D needs an input of rank 4")
