import json

import numpy as np

from graphspec.cli import main
from support import SPECS


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_valid_prints_a_summary_and_exits_0(capsys):
    code, out, _ = run(capsys, "check", SPECS / "seed_cnn.yaml")
    assert code == 0
    assert 'Model: "seed_cnn"' in out
    assert "conv1 (Conv2D)                   (None, 62, 62, 64)     float32   640" in out
    assert "Total params: 840,578 (3.21 MB)" in out
    assert out.rstrip().endswith("seed_cnn.yaml: valid (0 errors, 0 warnings)")


def test_check_invalid_prints_compiler_style_and_exits_1(capsys):
    code, out, _ = run(capsys, "check", SPECS / "seed_cnn.yaml", SPECS / "invalid" / "misspelt_field.yaml")
    assert code == 1
    assert f"{SPECS / 'invalid' / 'misspelt_field.yaml'}:6:51: error[GS202]: layer 'conv2d': unknown field " \
           "'kernal_size' for Conv2D\n    hint: did you mean 'kernel_size'?" in out


def test_unreadable_file_exits_2(capsys, tmp_path):
    code, out, _ = run(capsys, "check", tmp_path / "missing.yaml")
    assert code == 2 and "error[GS100]" in out


def test_usage_error_exits_2(capsys):
    try:
        main(["check"])
    except SystemExit as exit:
        assert exit.code == 2


def test_json_format(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", SPECS / "flatten_embedding.yaml", SPECS / "invalid" / "cycle.yaml")
    report = json.loads(out)
    assert code == 1 and report["valid"] is False
    valid, invalid = report["specs"]
    assert valid["layers"][-1] == {"name": "embedding", "type": "Embedding", "inputs": ["flatten"], "status": "ok",
                                   "output_shape": [None, 60, 100], "dtype": "float32", "params": 100000,
                                   "trainable_params": 100000, "non_trainable_params": 0,
                                   "weights": {"embeddings": [1000, 100]}}
    assert [(d["code"], d["line"], d["column"], d["layer"]) for d in invalid["diagnostics"]] == [("GS302", 6, 5, "a")]


def test_unparseable_file_in_json(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", SPECS / "invalid" / "syntax_error.yaml")
    (spec,) = json.loads(out)["specs"]
    assert code == 1 and spec["valid"] is False and spec["diagnostics"][0]["code"] == "GS103"


def test_schema_lists_every_layer_type(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "graphspec spec, format version 1"
    assert {"Conv2D", "DecomposedConv2D", "Embedding", "LSTM"} <= set(schema["$defs"])


def test_run_writes_outputs(capsys, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((3, 784), np.float32))
    code, _, err = run(capsys, "run", SPECS / "mnist_mlp.json", "--input", tmp_path / "x.npy", "-o", tmp_path / "y.npy")
    assert code == 0 and "wrote" in err
    y = np.load(tmp_path / "y.npy")
    assert y.shape == (3, 10)
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-6)


def test_run_with_saved_weights_reproduces_python(capsys, tmp_path):
    import graphspec
    model = graphspec.compile(graphspec.check(SPECS / "two_inputs.yaml"), seed=3)
    model.save_weights(tmp_path / "w.npz")
    feeds = {"image": np.random.default_rng(0).random((2, 28, 28, 1), np.float32),
             "meta": np.ones((2, 12), np.float32)}
    np.savez(tmp_path / "x.npz", **feeds)
    code, _, _ = run(capsys, "run", SPECS / "two_inputs.yaml", "-i", tmp_path / "x.npz", "-w", tmp_path / "w.npz",
                     "-o", tmp_path / "y.npz")
    expected = model(feeds)
    with np.load(tmp_path / "y.npz") as written:
        assert code == 0 and sorted(written.files) == ["digit", "score"]
        np.testing.assert_array_equal(written["digit"], expected["digit"])


def test_run_bad_input_is_an_error_not_a_traceback(capsys, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((3, 20), np.float32))
    code, _, err = run(capsys, "run", SPECS / "mnist_mlp.json", "--input", tmp_path / "x.npy")
    assert code == 1
    assert err.strip() == ("graphspec run: error: input 'input' has shape (3, 20), but the model expects "
                           "(None, 784) (axis 1 differs)")


def test_run_invalid_spec_exits_1(capsys, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((1, 8), np.float32))
    code, _, err = run(capsys, "run", SPECS / "invalid" / "cycle.yaml", "--input", tmp_path / "x.npy")
    assert code == 1 and "error[GS302]" in err
