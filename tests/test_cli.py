import json

import numpy as np
import pytest

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
                                   "weights": {"embeddings": [1000, 100]},
                                   "outputs": {"output": {"shape": [None, 60, 100], "dtype": "float32"}}}
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
    assert code == 2
    assert err.strip() == ("graphspec run: error: input 'input' has shape (3, 20), but the model expects "
                           "(None, 784) (axis 1 differs)")



def test_run_of_an_activation_too_large_for_memory_exits_2_with_the_layer_and_size(capsys, tmp_path):
    spec = tmp_path / "repeat.yaml"
    spec.write_text("graphspec: 1\ninputs: {x: {shape: [8]}}\nlayers:\n  - {type: RepeatVector, n: 10000000000000}\n")
    np.save(tmp_path / "x.npy", np.zeros((2, 8), np.float32))
    code, _, err = run(capsys, "run", spec, "--input", tmp_path / "x.npy")
    *warning, last = err.strip().splitlines()
    assert code == 2 and "warning[GS607]" in warning[0]
    assert last == ("graphspec run: error: layer 'repeat_vector' would produce (2, 10000000000000, 8) float32 = "
                    "596,046 GiB, more memory than is free: is a size mistyped? If not, run fewer samples at a time "
                    "(--batch-size, or predict(..., batch_size=))")

def test_run_invalid_spec_exits_1(capsys, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((1, 8), np.float32))
    code, _, err = run(capsys, "run", SPECS / "invalid" / "cycle.yaml", "--input", tmp_path / "x.npy")
    assert code == 1 and "error[GS302]" in err


def unreadable(tmp_path):
    """Files that np.load cannot read, each with the words its error must hold."""
    (tmp_path / "empty.npy").touch()
    (tmp_path / "text.npy").write_text("0.5, 1.5")
    np.savez(tmp_path / "objects.npz", x=np.array([{}], dtype=object))
    np.savez(tmp_path / "good.npz", x=np.zeros((2, 784), np.float32))
    (tmp_path / "cut.npz").write_bytes((tmp_path / "good.npz").read_bytes()[:100])
    np.savez_compressed(tmp_path / "packed.npz", x=np.random.default_rng(0).random((2, 784)))
    packed = bytearray((tmp_path / "packed.npz").read_bytes())
    packed[100:200] = bytes(100)  # inside the deflated data: zlib fails, not zipfile
    (tmp_path / "packed.npz").write_bytes(bytes(packed))
    return {"empty.npy": "the file is empty", "text.npy": "it is not an .npy or .npz file",
            "objects.npz": "Python objects", "cut.npz": "cannot read", "packed.npz": "cannot read",
            "missing.npy": "no such file", ".": "directory"}


def test_run_unreadable_inputs_and_weights_exit_2_with_one_line(capsys, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((2, 784), np.float32))
    for name, words in unreadable(tmp_path).items():
        for option, x, what in (("--input", tmp_path / name, "inputs"), ("--weights", tmp_path / name, "weights")):
            argv = ["run", SPECS / "mnist_mlp.json", "--input", tmp_path / "x.npy", option, x]
            code, _, err = run(capsys, *argv)
            assert code == 2, (name, option, err)
            assert err.startswith(f"graphspec run: error: cannot read {what} from {x}") and words in err, err
            assert err.count("\n") == 1


def test_run_output_path_is_checked_before_running_and_written_exactly(capsys, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((2, 784), np.float32))
    (tmp_path / "adir.npy").mkdir()
    (tmp_path / "afile").touch()
    for output, words in [("y.txt", "must end in .npy or .npz"), ("y.NPY", "must end in .npy or .npz"),
                          ("adir.npy", "is a directory"), ("adir.npy/", "is a directory"),
                          ("nodir/y.npy", "the folder"), ("afile/y.npy", "is a file, not a folder")]:
        code, _, err = run(capsys, "run", SPECS / "mnist_mlp.json", "-i", tmp_path / "x.npy", "-o", f"{tmp_path}/{output}")
        assert code == 2 and words in err, err
    code, _, err = run(capsys, "run", SPECS / "mnist_mlp.json", "-i", tmp_path / "x.npy", "-o", "")
    assert code == 2 and "output path is empty; name a file ending in .npy or .npz" in err, err
    code, _, err = run(capsys, "run", SPECS / "mnist_mlp.json", "-i", tmp_path / "x.npy", "-o", tmp_path / "y.npz")
    assert code == 0 and err == f"wrote {tmp_path / 'y.npz'}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir.npy", "afile", "x.npy", "y.npz"]
    with np.load(tmp_path / "y.npz") as written:
        assert written.files == ["output"] and written["output"].shape == (2, 10)


def test_run_several_outputs_into_npy_is_refused_before_running(capsys, tmp_path):
    np.savez(tmp_path / "x.npz", image=np.zeros((1, 28, 28, 1), np.float32), meta=np.zeros((1, 12), np.float32))
    code, _, err = run(capsys, "run", SPECS / "two_inputs.yaml", "-i", tmp_path / "x.npz", "-o", tmp_path / "y.npy")
    assert code == 2 and "the model has 2 outputs (digit, score): write them to an .npz file" in err


def test_run_one_array_for_two_inputs_names_the_npz_keys(capsys, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((1, 28, 28, 1), np.float32))
    code, _, err = run(capsys, "run", SPECS / "two_inputs.yaml", "-i", tmp_path / "x.npy")
    assert code == 2 and "give an .npz with one array per input name, e.g. np.savez(path, image=..., meta=...)" in err


def test_run_seed_and_batch_size_are_checked_by_the_parser(capsys, tmp_path):
    for option, value, words in [("--seed", "-1", "-1 is below 0"), ("--batch-size", "0", "0 is below 1"),
                                 ("--batch-size", "2.5", "'2.5' is not a whole number")]:
        with pytest.raises(SystemExit) as exit:
            main(["run", str(SPECS / "mnist_mlp.json"), "-i", "x.npy", option, value])
        assert exit.value.code == 2 and words in capsys.readouterr().err


def test_new_hints_read_well_in_text(capsys):
    path = SPECS / "invalid" / "value_hints.yaml"
    code, out, _ = run(capsys, "check", path)
    lines = out.splitlines()
    assert code == 1 and lines[:4] == [
        f"{path}:10:27: error[GS204]: layer 'dropout': rate: input should be less than or equal to 1, got 50",
        "    hint: rate is a fraction: for 50%, write rate: 0.5",
        f"{path}:11:26: error[GS204]: layer 'dense': units: input should be a valid integer, got '64'",
        "    hint: remove the quotes: units: 64"]
    assert lines[-2:] == [f"{path}: invalid (4 errors, 0 warnings)", ""]


def test_warnings_of_a_legal_model_are_printed_above_its_summary_and_exit_0(capsys):
    path = SPECS / "invalid" / "softmax_of_one.yaml"
    code, out, _ = run(capsys, "check", path)
    assert code == 0 and out.startswith(
        f"{path}:10:5: warning[GS604]: layer 'mask': a softmax over an axis of size 1 is always 1: the output "
        "(None, 32, 32, 1) says nothing about the input\n"
        "    hint: did you mean sigmoid? A softmax needs 2 or more classes on its axis\n")
    assert out.rstrip().endswith(f"{path}: valid (0 errors, 2 warnings)")


def test_json_names_what_kind_of_node_a_diagnostic_is_about(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", SPECS / "invalid" / "unused_input.yaml",
                       SPECS / "invalid" / "missing_flatten.yaml")
    unused, unpooled = json.loads(out)["specs"]
    assert code == 1 and unused["diagnostics"][0] | {"file": None} == {
        "severity": "error", "code": "GS303", "message": "this input feeds no output",
        "hint": "wire it into a layer with inputs:, or remove it", "file": None, "line": 5, "column": 3,
        "path": "inputs.meta", "layer": "meta", "node_kind": "input"}
    assert unpooled["valid"] is True
    assert [(d["severity"], d["code"], d["layer"], d["node_kind"]) for d in unpooled["diagnostics"]] == [
        ("warning", "GS605", "probs", "layer"), ("warning", "GS605", "alarm", "layer")]
