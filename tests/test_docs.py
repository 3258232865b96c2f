"""The generated layer reference is current, and CI runs the README's commands."""
import importlib.util
import re

from support import ROOT


def _make_reference():
    spec = importlib.util.spec_from_file_location("make_reference", ROOT / "docs" / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_layer_reference_is_up_to_date():
    assert (ROOT / "docs" / "layers.md").read_text() == _make_reference().reference(), \
        "run: python docs/make_reference.py"


def test_the_reference_says_each_layer_in_its_docstring_s_whole_first_paragraph_and_real_types():
    text = _make_reference().reference()
    assert ("keras.layers.Dot: sums x1 × x2 over axes[0] of x1 and axes[1] of x2 (Keras's batch_dot). The output "
            "keeps x1's other axes, then x2's; two vectors give (batch, 1). normalize: L2-normalise both along those "
            "axes first, so the result is the cosine similarity.\n") in text
    assert ("| `mean` | float or nested lists of float or null | `None` | The mean: a number, or an array over the "
            "axes of `axis`. |") in text


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
