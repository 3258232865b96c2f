"""graphspec export: the file written, its format from the suffix, a failed export or write keeping the old file,
and one line naming the extra to install when onnx is missing."""
import importlib.util

import pytest
from onnx_support import needs_ort, run_onnx, sample_inputs

import graphspec
import graphspec.export_command as export_command
from graphspec import atomic
from graphspec.cli import main
from graphspec.onnx import OnnxNotInstalled
from support import SPECS

SPEC = str(SPECS / "seed_cnn.yaml")


@needs_ort
def test_export_writes_a_model_that_runs_as_numpy(tmp_path, capsys):
    import numpy as np
    import onnx
    model_path, weights_path = tmp_path / "model.onnx", tmp_path / "w.npz"
    graph = graphspec.check(SPEC)
    numpy_model = graphspec.compile(graph, seed=3)
    numpy_model.save_weights(weights_path)
    assert main(["export", SPEC, "--weights", str(weights_path), "-o", str(model_path)]) == 0
    assert f"wrote {model_path}" in capsys.readouterr().err
    x = sample_inputs(graph, 2)
    got = run_onnx(onnx.load(model_path), x)["probs"]
    np.testing.assert_allclose(got, numpy_model(x), rtol=1e-5, atol=1e-6)


def test_unknown_suffix_is_a_usage_error(tmp_path, capsys):
    assert main(["export", SPEC, "-o", str(tmp_path / "model.onx")]) == 2
    assert "ending in .onnx or .keras or .h5 or .json, or give --format" in capsys.readouterr().err


@needs_ort
def test_bad_weights_keep_the_old_file(tmp_path, capsys):
    import numpy as np
    old, weights = tmp_path / "model.onnx", tmp_path / "w.npz"
    old.write_bytes(b"old")
    np.savez(weights, **{"conv1/kernel": np.zeros((2, 2))})
    assert main(["export", SPEC, "-w", str(weights), "-o", str(old)]) == 2
    assert "do not fit the spec" in capsys.readouterr().err
    assert old.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx", "w.npz"]  # no temporary left behind


def test_without_onnx_one_line_says_what_to_install(tmp_path, capsys, monkeypatch):
    def missing(graph, weights, seed, path):
        raise OnnxNotInstalled("ONNX export needs onnx, which is not installed: pip install graphspec[onnx]")
    monkeypatch.setitem(export_command.WRITERS, "onnx", ((".onnx",), missing))
    assert main(["export", SPEC, "-o", str(tmp_path / "m.onnx")]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].endswith("pip install graphspec[onnx]") and "Traceback" not in err
    assert not (tmp_path / "m.onnx").exists()


def test_require_names_the_extra(monkeypatch):
    import sys

    from graphspec.onnx import require
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if not installed
    with pytest.raises(OnnxNotInstalled, match=r"pip install graphspec\[onnx\]"):
        require("onnx", "ONNX export")


@needs_ort
def test_refused_layer_is_diagnostic_gs950(tmp_path, capsys):
    spec = tmp_path / "open.yaml"
    spec.write_text("graphspec: 1\ninputs: {x: {shape: [null, null, 3]}}\nlayers:\n"
                    "  - {type: CenterCrop, name: crop, height: 4, width: 4}\n")
    assert main(["export", str(spec), "-o", str(tmp_path / "m.onnx")]) == 1
    err = capsys.readouterr().err
    assert "error[GS950]: layer 'crop'" in err and "Traceback" not in err


needs_h5py = pytest.mark.skipif(importlib.util.find_spec("h5py") is None,
                                reason="needs h5py: pip install -e '.[keras]'")


@pytest.mark.parametrize("suffix", [pytest.param(".onnx", marks=needs_ort), pytest.param(".keras", marks=needs_h5py),
                                    pytest.param(".h5", marks=needs_h5py), ".json"])
def test_a_write_that_fails_keeps_the_old_file_and_says_why(tmp_path, capsys, monkeypatch, suffix):
    old = tmp_path / f"model{suffix}"
    old.write_bytes(b"old")

    def disk_full(source, target):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(atomic.os, "replace", disk_full)
    assert main(["export", SPEC, "-o", str(old)]) == 2
    assert f"cannot write {old}: No space left on device" in capsys.readouterr().err
    assert old.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [old.name]  # the temporary removed
