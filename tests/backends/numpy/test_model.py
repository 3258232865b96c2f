"""The Model API: one array or a dict in, an array or a dict by output name out; predict in batches;
get/set/save/load_weights; seeds."""
import numpy as np
import pytest
from support import build

import graphspec


def images(batch, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, (batch, 64, 64, 1)).astype(np.float32)


def pair(batch, seed=0):
    rng = np.random.default_rng(seed)
    return {"image": rng.uniform(0, 1, (batch, 28, 28, 1)).astype(np.float32),
            "meta": rng.uniform(-1, 1, (batch, 12)).astype(np.float32)}


def test_names(seed_cnn, two_inputs):
    assert (seed_cnn.input_names, seed_cnn.output_names) == (["image"], ["probs"])
    assert (two_inputs.input_names, two_inputs.output_names) == (["image", "meta"], ["digit", "score"])


def test_one_output_is_an_array_and_one_input_takes_an_array_or_a_dict(seed_cnn):
    x = images(3)
    out = seed_cnn(x)
    assert isinstance(out, np.ndarray) and out.shape == (3, 2) and out.dtype == np.float32
    np.testing.assert_array_equal(seed_cnn({"image": x}), out)
    np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-6)


def test_several_outputs_are_a_dict_by_name(two_inputs):
    out = two_inputs(pair(4))
    assert isinstance(out, dict) and list(out) == ["digit", "score"]
    assert out["digit"].shape == (4, 10) and out["score"].shape == (4, 1)
    np.testing.assert_allclose(out["digit"].sum(axis=1), 1, rtol=1e-6)


def test_a_sample_does_not_depend_on_its_batch(seed_cnn):
    """Batch 1 and batch 20 (which the plan runs in blocks) give each sample the same answer."""
    x = images(20, seed=1)
    whole = seed_cnn(x)
    for i in (0, 7, 19):
        np.testing.assert_allclose(seed_cnn(x[i:i + 1])[0], whole[i], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("batch_size", [1, 3, 256])
def test_predict_equals_call(seed_cnn, batch_size):
    x = images(7, seed=2)
    np.testing.assert_allclose(seed_cnn.predict(x, batch_size=batch_size, progress=False), seed_cnn(x),
                               rtol=1e-5, atol=1e-7)


def test_predict_with_several_inputs_and_outputs(two_inputs):
    inputs = pair(5, seed=3)
    called, predicted = two_inputs(inputs), two_inputs.predict(inputs, batch_size=2, progress=False)
    assert list(predicted) == ["digit", "score"]
    for name in called:
        np.testing.assert_allclose(predicted[name], called[name], rtol=1e-5, atol=1e-7)


def test_predict_without_progress_writes_nothing(seed_cnn, capsys):
    seed_cnn.predict(images(4), batch_size=1, progress=False)
    small, _ = build([{"type": "Dense", "units": 2}], {"x": {"shape": [3]}})
    small.predict(np.zeros((4, 3)), batch_size=1)  # the bar shows only once a run has taken a second
    assert capsys.readouterr() == ("", "")


def test_predict_checks_its_inputs_and_batch_size(seed_cnn):
    with pytest.raises(graphspec.RunError, match=r"expects \(None, 64, 64, 1\)"):
        seed_cnn.predict(np.zeros((2, 32, 32, 1)))
    for bad in (0, 2.5, True):
        with pytest.raises(graphspec.RunError, match=f"batch_size must be a whole number of at least 1, got {bad}"):
            seed_cnn.predict(images(2), batch_size=bad)


def test_no_samples_gives_outputs_of_the_right_shape(seed_cnn):
    x = np.zeros((0, 64, 64, 1), np.float32)
    assert seed_cnn(x).shape == (0, 2)
    assert seed_cnn.predict(x).shape == (0, 2)


def test_no_samples_through_global_pooling(two_inputs):
    assert two_inputs.predict(pair(0))["digit"].shape == (0, 10)


def test_get_weights_shapes_and_copies(seed_cnn):
    weights = seed_cnn.get_weights()
    assert weights["conv1"]["kernel"].shape == (3, 3, 1, 64)
    assert {layer: {w: a.shape for w, a in arrays.items()} for layer, arrays in weights.items()} == \
        {name: info.weights for name, info in seed_cnn.graph.nodes.items() if info.weights}
    x = images(2)
    before = seed_cnn(x)
    weights["conv1"]["kernel"][:] = 0  # a copy: the model is unchanged
    np.testing.assert_array_equal(seed_cnn(x), before)


def test_set_weights_changes_the_answer():
    model, w = build([{"type": "Dense", "name": "d", "units": 2}], {"x": {"shape": [3]}})
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    model.set_weights({"d": {"kernel": np.ones((3, 2)), "bias": np.array([0.5, -1.0])}})
    np.testing.assert_array_equal(model(x), [[6.5, 5.0]])


def test_save_and_load_weights_round_trip_exactly(tmp_path, seed_cnn):
    path = tmp_path / "weights.npz"
    seed_cnn.save_weights(path)
    other = graphspec.compile(seed_cnn.graph, seed=1)
    x = images(2)
    assert not np.array_equal(other(x), seed_cnn(x))
    other.load_weights(path)
    for layer, arrays in seed_cnn.get_weights().items():
        for name, array in arrays.items():
            np.testing.assert_array_equal(other.get_weights()[layer][name], array)
    np.testing.assert_array_equal(other(x), seed_cnn(x))
    from_file = graphspec.compile(seed_cnn.graph, weights=path)
    np.testing.assert_array_equal(from_file(x), seed_cnn(x))
    np.testing.assert_array_equal(graphspec.compile(seed_cnn.graph, weights=str(path))(x), seed_cnn(x))


def test_weights_given_to_compile_as_a_dict(seed_cnn):
    model = graphspec.compile(seed_cnn.graph, weights=seed_cnn.get_weights())
    x = images(1)
    np.testing.assert_array_equal(model(x), seed_cnn(x))


def test_seed_reproducibility(seed_cnn):
    graph = seed_cnn.graph
    same = graphspec.compile(graph, seed=0).get_weights()
    other = graphspec.compile(graph, seed=1).get_weights()
    for layer, arrays in seed_cnn.get_weights().items():
        np.testing.assert_array_equal(same[layer]["kernel"], arrays["kernel"])
        assert not np.array_equal(other[layer]["kernel"], arrays["kernel"])
    default = graphspec.compile(graph).get_weights()  # seed 0 by default
    np.testing.assert_array_equal(default["conv1"]["kernel"], same["conv1"]["kernel"])


@pytest.mark.parametrize("layer", [{"type": "Dropout", "rate": 0.5}, {"type": "Flatten"},
                                   {"type": "Reshape", "target_shape": [-1]}, {"type": "GaussianNoise", "stddev": 0.1}])
def test_an_output_is_never_a_view_of_the_input(layer):
    model, _ = build([layer], {"x": {"shape": [2, 2]}})
    x = np.ones((1, 2, 2), np.float32)
    out = model(x)
    out[:] = 7
    np.testing.assert_array_equal(x, 1)


def test_outputs_never_share_memory():
    layers = [{"type": "Dense", "name": "dense", "units": 3}, {"type": "Dropout", "name": "drop", "rate": 0.5}]
    model, _ = build(layers, {"x": {"shape": [2]}}, outputs=["dense", "drop"])
    out = model(np.ones((1, 2), np.float32))
    dense = out["dense"].copy()
    out["drop"][:] = 7
    np.testing.assert_array_equal(out["dense"], dense)


def test_a_sequence_shorter_than_a_window_names_the_layer():
    layers = [{"type": "Conv1D", "name": "conv", "filters": 4, "kernel_size": 3},
              {"type": "MaxPooling1D", "name": "pool", "pool_size": 2}]
    model, _ = build(layers, {"s": {"shape": [None, 3]}})
    assert model(np.ones((2, 4, 3), np.float32)).shape == (2, 1, 4)
    with pytest.raises(graphspec.RunError, match=r"layer 'conv \+ pool': conv window \(3,\) .* does not fit input \(2,\)"):
        model(np.ones((2, 2, 3), np.float32))
    with pytest.raises(graphspec.RunError, match=r"layer 'conv \+ pool': pool window \(2,\) does not fit"):
        model(np.ones((2, 3, 3), np.float32))


def test_an_output_is_not_overwritten_by_the_next_call(seed_cnn, two_inputs):
    first = seed_cnn(images(2, seed=4))
    kept = first.copy()
    seed_cnn(images(2, seed=5))
    np.testing.assert_array_equal(first, kept)
    first = two_inputs(pair(2, seed=4))
    kept = {name: a.copy() for name, a in first.items()}
    two_inputs(pair(2, seed=5))
    for name in first:
        np.testing.assert_array_equal(first[name], kept[name])
