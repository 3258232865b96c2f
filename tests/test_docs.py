"""The generated layer reference is current, and CI runs the README's commands."""
import importlib.util
import re

from support import ROOT


def test_layer_reference_is_up_to_date():
    spec = importlib.util.spec_from_file_location("make_reference", ROOT / "docs" / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "layers.md").read_text() == module.reference(), "run: python docs/make_reference.py"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
