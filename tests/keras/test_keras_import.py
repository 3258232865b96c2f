"""graphspec.keras imports models Keras 3 saved (.keras, legacy .h5) and Keras 1/2 configs found in public
repositories: the spec checks, parameters equal Keras's, and the NumPy backend with the imported weights gives
Keras's outputs (tests/fixtures/keras/io, made by make_io_fixtures.py there)."""
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import graphspec
from graphspec.diagnostics import Code, SpecError
from graphspec.keras import from_keras, import_file
from graphspec.keras.keras_order import keras_order

IO = Path(__file__).resolve().parents[1] / "fixtures" / "keras" / "io"
MODELS = sorted(p.stem for p in IO.glob("*.keras"))
h5py = pytest.importorskip("h5py")


def run(spec, weights, data):
    graph = graphspec.check(spec)
    model = graphspec.compile(graph, seed=0)
    model.set_weights(weights)
    inputs = {k[7:]: data[k] for k in data.files if k.startswith("inputs/")}
    return graph, model(inputs if len(inputs) > 1 else next(iter(inputs.values())))


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
@pytest.mark.parametrize("name", MODELS)
def test_keras_made_model_gives_keras_outputs(name, suffix):
    data = np.load(IO / f"{name}.npz")
    spec, weights = from_keras(IO / f"{name}{suffix}")
    graph, out = run(spec, weights, data)
    assert graph.total_params == int(data["params/total"])
    assert graph.trainable_params == int(data["params/trainable"])
    expected = next(data[k] for k in data.files if k.startswith("outputs/"))
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


def test_a_nested_model_becomes_a_block_use():
    imported = import_file(IO / "nested.keras")
    assert imported.document["graphspec"] == 2 and list(imported.document["blocks"]) == ["encoder"]
    assert imported.document["layers"][0] == {"block": "encoder", "name": "encoder", "inputs": "x"}
    assert set(imported.weights) == {"encoder/dense_6", "encoder/dense_7", "dense_8"}


def test_nested_models_called_twice_and_nested_twice_over_fold_into_blocks():
    imported = import_file(IO / "nested_shared.keras")
    blocks, layers = imported.document["blocks"], imported.document["layers"]
    assert list(blocks) == ["tower", "inner", "mixer"] and blocks["mixer"]["inputs"] == ["p", "q"]
    assert {"block": "inner", "name": "inner", "inputs": "dense_1"} in blocks["mixer"]["layers"]
    assert blocks["mixer"]["outputs"] == ["concatenate", "dense_2"]
    assert layers[1] == {"shared": "tower", "name": "tower_call1", "inputs": "c"}
    assert layers[4]["inputs"] == ["mixer", "mixer:1", "subtract"] and not imported.diagnostics
    graph = graphspec.check(from_keras(IO / "nested_shared.keras")[0])
    rows = graph.summary().splitlines()
    assert any(row.startswith("tower_call1 (tower, shares tower)") for row in rows)
    assert not any("dense_3" in row for row in rows)  # folded: the block's layers are inside its row


@pytest.mark.parametrize("name", MODELS)
def test_keras_order_is_the_order_keras_lists_its_layers_in(name):
    with zipfile.ZipFile(IO / f"{name}.keras") as archive:
        config = json.loads(archive.read("config.json"))
    if config["class_name"] == "Functional":
        assert keras_order(config["config"]) == [layer["name"] for layer in config["config"]["layers"]]


def test_embedding_mask_written_as_an_operation_is_graphspecs_own():
    spec, _ = from_keras(IO / "lstm_text.keras")
    assert [layer.kind for layer in spec.layers] == ["Embedding", "LSTM", "LSTM", "Dense"]
    assert spec.layers[0].mask_zero is True


def test_operation_nodes_become_layers():
    spec, _ = from_keras(IO / "operations.keras")
    kinds = {layer.kind: layer for layer in spec.layers}
    assert kinds["Rescaling"].scale == 2.0 and kinds["Activation"].activation == "relu" and "Add" in kinds


LEGACY = {"keras1_mnist_mlp": 636010, "keras1_lstm_text": 389987, "keras1_conv1d_model": 26240,
          "keras2_sequential_as_string": 642, "keras2_tfjs_conv_block": 496}


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_keras_1_and_2_configs_import_and_check(name):
    spec, weights = from_keras(IO / "configs" / f"{name}.json")
    assert graphspec.check(spec).total_params == LEGACY[name] and weights == {}


def test_keras_1_meanings_are_kept_and_noted():
    imported = import_file(IO / "configs" / "keras1_lstm_text.json")
    lstm = imported.document["layers"][0]
    assert lstm["recurrent_activation"] == "keras2_hard_sigmoid" and lstm["units"] == 256
    assert any("hard_sigmoid read as keras2_hard_sigmoid" in note for note in imported.notes)
    conv = import_file(IO / "configs" / "keras1_conv1d_model.json").document["layers"][0]
    assert (conv["type"], conv["filters"], conv["kernel_size"]) == ("Conv1D", 128, 34)


def test_keras2_leaky_relu_alpha_and_gru_reset_before():
    block = import_file(IO / "configs" / "keras2_tfjs_conv_block.json").document["layers"]
    assert block[2]["negative_slope"] == pytest.approx(0.1)
    config = {"class_name": "Sequential", "keras_version": "2.1.2", "config": [
        {"class_name": "GRU", "config": {"name": "gru", "units": 3, "batch_input_shape": [None, 4, 2]}}]}
    assert _imported(config).document["layers"][0]["reset_after"] is False


def _imported(config, tmp_path=None):
    path = Path(tmp_path or "/tmp") / f"config_{abs(hash(json.dumps(config))) % 10**8}.json"
    path.write_text(json.dumps(config))
    return import_file(path)


def _functional(layers, outputs):
    return {"class_name": "Model", "keras_version": "2.2.4", "config": {
        "name": "m", "layers": [{"class_name": "InputLayer", "name": "x", "inbound_nodes": [],
                                 "config": {"name": "x", "batch_input_shape": [None, 4], "dtype": "float32"}},
                                *layers], "input_layers": [["x", 0, 0]], "output_layers": [[o, 0, 0] for o in outputs]}}


def _layer(kind, name, source, **config):
    return {"class_name": kind, "name": name, "config": {"name": name, **config},
            "inbound_nodes": [[[s, 0, 0, {}] for s in ([source] if isinstance(source, str) else source)]]}


def test_every_refused_layer_is_reported_with_the_rest_imported(tmp_path):
    config = _functional([_layer("Lambda", "scale", "x", function="..."),
                          _layer("Dense", "d", "x", units=3, lora_rank=4),
                          _layer("MyLayer", "mine", "d")], ["scale", "mine"])
    imported = _imported(config, tmp_path)
    codes = {(d.layer, d.code) for d in imported.diagnostics}
    assert codes == {("scale", Code.IMPORT_UNSUPPORTED_LAYER), ("d", Code.IMPORT_UNSUPPORTED_ARGUMENT),
                     ("mine", Code.IMPORT_UNSUPPORTED_LAYER)}
    message = next(d for d in imported.diagnostics if d.layer == "d").message
    assert "lora_rank = 4" in message
    assert [layer["type"] for layer in imported.document["layers"]] == ["Lambda", "Dense", "MyLayer"]


def test_a_layer_called_twice_becomes_a_shared_use(tmp_path):
    shared = _layer("Dense", "d", "x", units=4)
    shared["inbound_nodes"].append([["d", 0, 0, {}]])  # d(d(x)): one Keras layer, two calls, one set of weights
    config = _functional([shared], [])
    config["config"]["output_layers"] = [["d", 1, 0]]
    imported = _imported(config, tmp_path)
    assert imported.diagnostics == [] and imported.document["graphspec"] == 2
    assert imported.document["layers"][1] == {"shared": "d", "name": "d_call1", "inputs": "d"}
    (tmp_path / "m.json").write_text(json.dumps(config))
    graph = graphspec.check(from_keras(tmp_path / "m.json")[0])
    assert graph.total_params == 20 and graph.outputs == ["d_call1"]


def test_a_later_call_keeps_its_keywords_or_says_why_it_cannot(tmp_path):
    states = import_file(IO / "shared_states.keras").document["layers"]
    again = [layer for layer in states if layer.get("shared") == "lstm"]
    assert [layer.get("initial_state") for layer in again] == [None, ["c", "h"]]
    dropout = _layer("Dropout", "drop", "x", rate=0.5)
    dropout["inbound_nodes"].append([["drop", 0, 0, {"training": True}]])
    config = _functional([dropout], [])
    config["config"]["output_layers"] = [["drop", 1, 0]]
    (problem,) = _imported(config, tmp_path).diagnostics
    assert (problem.code, problem.layer) == (Code.IMPORT_WIRING, "drop_call1") and "training=True" in problem.message


def test_a_float_input_into_an_embedding_becomes_int32(tmp_path):
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Embedding", "config": {"name": "e", "input_dim": 10, "output_dim": 3,
                                               "batch_input_shape": [None, 5], "dtype": "float32"}}]}}
    imported = _imported(config, tmp_path)
    assert imported.document["inputs"]["e_input"]["dtype"] == "int32"
    assert [d.code for d in imported.diagnostics] == [Code.IMPORT_ASSUMED]


def test_weights_that_do_not_fit_the_config_are_an_error(tmp_path):
    path = tmp_path / "bad.h5"
    path.write_bytes((IO / "mlp.h5").read_bytes())
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        config["config"]["layers"][1]["config"]["units"] = 17
        f.attrs["model_config"] = json.dumps(config)
    imported = import_file(path)
    assert {d.code for d in imported.diagnostics} == {Code.IMPORT_WEIGHTS}  # this layer's, and the next one's
    assert "(12, 16)" in imported.diagnostics[0].message and "(12, 17)" in imported.diagnostics[0].message


def test_tensorflow_js_model_with_shards(tmp_path):
    spec, weights = from_keras(IO / "mlp.keras")
    arrays = [(f"{layer}/{w}", a) for layer, ws in weights.items() for w, a in ws.items()]
    (tmp_path / "group1-shard1of1.bin").write_bytes(b"".join(a.astype("<f4").tobytes() for _, a in arrays))
    topology = json.loads(zipfile.ZipFile(IO / "mlp.keras").read("config.json"))
    manifest = [{"paths": ["group1-shard1of1.bin"],
                 "weights": [{"name": n, "shape": list(a.shape), "dtype": "float32"} for n, a in arrays]}]
    (tmp_path / "model.json").write_text(json.dumps({"modelTopology": {"model_config": topology,
                                                                       "keras_version": "3.15.1"},
                                                     "weightsManifest": manifest}))
    spec2, weights2 = from_keras(tmp_path / "model.json")
    _, out = run(spec2, weights2, np.load(IO / "mlp.npz"))
    np.testing.assert_allclose(out, np.load(IO / "mlp.npz")["outputs/output"], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("member, problem", [("../evil.json", "leaves the archive"), ("config.json", "no Keras")])
def test_hostile_or_wrong_archives_are_refused(tmp_path, member, problem):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(member, "[]")
    with pytest.raises(SpecError) as caught:
        import_file(path)
    assert caught.value.diagnostics[0].code is Code.IMPORT_UNREADABLE and problem in str(caught.value)


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", "{}")
        z.writestr("model.weights.h5", b"\0" * (64 << 20))
    with pytest.raises(SpecError, match="zip bomb"):
        import_file(path)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated", b"not json"])
def test_unreadable_files_are_one_clear_error(tmp_path, content):
    path = tmp_path / "model.keras"
    path.write_bytes(content)
    with pytest.raises(SpecError) as caught:
        import_file(path)
    assert caught.value.diagnostics[0].code is Code.IMPORT_UNREADABLE


def test_without_h5py_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "h5py", None)
    with pytest.raises(SpecError, match=r"pip install graphspec\[keras\]"):
        import_file(IO / "mlp.h5")
    assert import_file(IO / "configs" / "keras1_mnist_mlp.json").document["layers"]  # JSON needs no h5py


def test_a_refused_layer_inside_a_nested_model_is_known_by_its_block_name(tmp_path):
    inner = {"class_name": "Sequential", "name": "enc", "inbound_nodes": [[["x", 0, 0, {}]]],
             "config": {"name": "enc", "layers": [{"class_name": "Lambda", "config": {"name": "bad", "function": "f"}}]}}
    imported = _imported(_functional([inner], ["enc"]), tmp_path)
    assert imported.document["blocks"]["enc"]["layers"][0]["type"] == "Lambda"
    assert {"enc.bad", "enc/bad"} <= imported.failed_layers
