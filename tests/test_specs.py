"""The spec files in specs/ are tests: every valid one checks, every invalid one fails as its header says.

specs/invalid/ also holds models that are legal but almost surely wrong: their headers name warnings only."""
import re
from pathlib import Path

import pytest

from support import SPECS
from graphspec.cli import check_file

VALID = sorted(p for p in SPECS.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
INVALID = sorted(p for p in (SPECS / "invalid").iterdir() if p.suffix in (".yaml", ".yml", ".json"))
EXPECT = re.compile(r"# expect( warning)?: (GS\d+) at (\d+):(\d+)(?: in (\S+))?")  # an error, or a warning

TOTALS = {  # (total, trainable) parameter counts, as Keras counts them
    "seed_cnn.yaml": (840_578, 840_578),
    "decomposeme_cnn.yaml": (816_034, 816_034),
    "text_classifier.yaml": (160_289, 160_289),
    "flatten_embedding.yaml": (100_000, 100_000),
    "fasttext_frozen_dense.yaml": (6_091_805, 91_805),
    "fasttext_two_tables.yaml": (6_165_957, 165_957),
    "lstm_sequence.yaml": (456_129, 456_129),
    "mnist_mlp.json": (101_770, 101_770),
    "transformer_encoder.yaml": (3_369_730, 3_369_730),  # the sum its header spells out
    "pretrained_vec.yaml": (51 * 8 + 40 + 12 * 3 + 3, 40 + 12 * 3 + 3),
    "resnet50.yaml": (25_636_712, 25_583_592),  # written with blocks: keras.applications.ResNet50's counts
    "mobilenet_v2.yaml": (3_538_984, 3_504_872),  # keras.applications.MobileNetV2(alpha=1.0)
    "siamese_shared.yaml": (2_225, 2_225),  # the shared encoder's 1,392 counted once
}


def expectations(path: Path) -> list[tuple]:
    sidecar = path.with_name(path.name + ".expect")
    text = sidecar.read_text() if sidecar.exists() else path.read_text()
    return [(severity.strip() or "error", code, int(line), int(column), layer)
            for severity, code, line, column, layer in EXPECT.findall(text)]


def test_every_example_has_an_expected_total():
    assert {p.name for p in VALID} >= set(TOTALS)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_spec_checks_without_errors(path):
    graph, diagnostics = check_file(path)
    assert [d.format() for d in diagnostics if d.is_error] == []
    if path.name in TOTALS:
        assert (graph.total_params, graph.trainable_params) == TOTALS[path.name]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_spec_fails_with_the_named_diagnostics(path):
    expected = expectations(path)
    assert expected, f"{path.name} names no expected diagnostic"
    _, diagnostics = check_file(path)
    found = [(d.severity.value, d.code.value, d.line, d.column, d.layer or "") for d in diagnostics]
    assert found == expected


def test_there_are_at_least_ten_invalid_specs():
    assert len(INVALID) >= 10


def test_seed_cnn_shapes():
    graph, _ = check_file(SPECS / "seed_cnn.yaml")
    shapes = [str(graph[name].output) for name in graph.layer_names()]
    assert shapes == ["(None, 62, 62, 64)", "(None, 31, 31, 64)", "(None, 29, 29, 64)", "(None, 14, 14, 64)",
                      "(None, 12544)", "(None, 64)", "(None, 2)"]


def test_two_tables_concatenate_on_the_last_axis():
    graph, _ = check_file(SPECS / "fasttext_two_tables.yaml")
    assert str(graph["features"].output) == "(None, 40, 332)"
    assert graph["pretrained"].non_trainable_params == 6_000_000
