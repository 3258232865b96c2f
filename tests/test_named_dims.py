"""Named sizes through the checker: carried by the layers, degraded to None where a rule cannot express them,
conflicts reported (GS730), the constraints a run must meet stated."""
import json

import pytest

import graphspec
from graphspec.diagnostics import Code
from graphspec.report import graph_record


def check(inputs: str, layers: str, outputs: str = ""):
    return graphspec.analyze(graphspec.loads(f"graphspec: 1\ninputs: {{{inputs}}}\nlayers:\n{layers}\n{outputs}"))


def shapes(graph) -> dict[str, str]:
    return {name: str(info.output) for name, info in graph.nodes.items()}


def test_a_valid_window_shortens_t_and_same_keeps_it():
    graph = check("x: {shape: [T, 16]}", "  - {type: Conv1D, name: v, filters: 8, kernel_size: 3, inputs: x}\n"
                  "  - {type: Conv1D, name: s, filters: 8, kernel_size: 3, padding: same, inputs: x}\n"
                  "  - {type: Dense, name: d, units: 4, inputs: v}", "outputs: [s, d]")
    assert graph.ok
    assert shapes(graph) == {"x": "(None, T, 16)", "v": "(None, T - 2, 8)", "s": "(None, T, 8)",
                             "d": "(None, T - 2, 4)"}
    assert graph["d"].macs == 8 * 4 * graph["d"].output.shape[1]  # per step, times the steps: 32 * T - 64


def test_pooling_halves_a_size_known_to_divide_and_gives_none_otherwise():
    graph = check("img: {shape: [32 * h, 32 * w, 3]}, raw: {shape: [H, W, 3]}",
                  "  - {type: MaxPooling2D, name: p, inputs: img}\n"
                  "  - {type: Conv2D, name: c, filters: 4, kernel_size: 3, strides: 2, padding: same}\n"
                  "  - {type: MaxPooling2D, name: q, inputs: raw}\n  - {type: Flatten, name: f, inputs: raw}",
                  "outputs: [c, q, f]")
    assert graph.ok
    assert shapes(graph)["p"] == "(None, 16 * h, 16 * w, 3)"
    assert shapes(graph)["c"] == "(None, 8 * h, 8 * w, 4)"
    assert shapes(graph)["q"] == "(None, None, None, 3)"  # H // 2 is H / 2 only for an even H: not a name
    assert shapes(graph)["f"] == "(None, 3 * H * W)"


def test_a_stride_that_does_not_divide_makes_only_that_axis_unknown():
    graph = check("x: {shape: [T, 8]}", "  - {type: Conv1D, name: c, filters: 4, kernel_size: 3, strides: 2}")
    assert shapes(graph)["c"] == "(None, None, 4)"


def test_a_weight_that_would_depend_on_a_name_is_the_unknown_dimension_error():
    graph = check("x: {shape: [T]}", "  - {type: Dense, units: 4}")
    assert [d.code for d in graph.errors] == [Code.UNKNOWN_DIMENSION]
    assert "the input is (None, T)" in graph.errors[0].message


def test_a_rule_that_cannot_express_a_result_degrades_to_none():
    """Reshape with nothing to infer cannot know T * 128 is 4 * 32 for every T: it keeps its target, as with None."""
    graph = check("x: {shape: [T, 128]}", "  - {type: Reshape, name: r, target_shape: [-1, 64]}\n"
                  "  - {type: Reshape, name: s, target_shape: [-1, 3], inputs: x}", "outputs: [r, s]")
    assert shapes(graph)["r"] == "(None, 2 * T, 64)"
    assert shapes(graph)["s"] == "(None, None, 3)"


@pytest.mark.parametrize(("second", "message"), [
    ("Conv1D, filters: 16, kernel_size: 3", "T - 2 and T differ by 2 for every value of T"),
    ("Dense, units: 16", None)])
def test_a_merge_of_t_and_t_minus_2_is_a_conflict(second, message):
    graph = check("x: {shape: [T, 16]}", f"  - {{type: {second}, name: a, inputs: x}}\n"
                  "  - {type: Add, name: add, inputs: [a, x]}")
    if message is None:
        assert graph.ok and shapes(graph)["add"] == "(None, T, 16)"
        return
    (problem,) = graph.errors
    assert (problem.code, problem.layer, problem.line) == (Code.NAMED_SIZE_CONFLICT, "add", 5)
    assert problem.message == f"Add of (None, T - 2, 16) and (None, T, 16) mismatches on axis 1: {message}"
    assert "padding: same" in problem.hint


def test_a_name_that_a_merge_would_fix_is_a_conflict_too():
    graph = check("a: {shape: [T, 4]}, b: {shape: [5, 4]}", "  - {type: Concatenate, axis: -1, inputs: [a, b]}")
    assert [d.code for d in graph.errors] == [Code.NAMED_SIZE_CONFLICT]
    assert "T would have to be 5" in graph.errors[0].message


def test_two_inputs_sharing_a_name_concatenate_along_it():
    graph = check("a: {shape: [T, 4]}, b: {shape: [T, 4]}", "  - {type: Concatenate, axis: 1, inputs: [a, b]}")
    assert shapes(graph)["concatenate"] == "(None, 2 * T, 4)"


def test_the_summary_states_what_a_run_needs_and_the_report_writes_names_as_text():
    graph = check("x: {shape: [T, 8]}", "  - {type: Conv1D, name: c, filters: 4, kernel_size: 5}")
    assert "A run needs T >= 5 (c outputs T - 4)" in graph.summary().splitlines()
    assert "Total MACs: 160 * T - 640 per sample" in graph.summary()  # 5 × 8 × 4 per step, T - 4 steps
    record = json.loads(json.dumps(graph_record(graph)))
    assert record["layers"][1]["output_shape"] == [None, "T - 4", 4]
    assert record["layers"][1]["macs"] == "160 * T - 640"


@pytest.mark.parametrize(("entry", "message"), [
    ("'T ** 2'", "a size is written with names, whole numbers, +, - and * only"),
    ("'T +'", "a size is a whole number, a name or an expression of names"),
    ("'-T'", "'-T' is below 1 for every value of T"),
    ("0", "input should be greater than 0")])
def test_a_bad_size_is_located_and_explained(entry, message):
    graph = check(f"x: {{shape: [{entry}, 3]}}", "  - {type: Flatten}")
    (problem,) = graph.errors
    assert (problem.code, problem.line) == (Code.INVALID_VALUE, 2)
    assert (problem.layer, problem.message.startswith(f"shape[0]: {message}")) == ("x", True)


def test_python_style_shape_text_takes_names():
    graph = check("x: {shape: '(T, 3)'}", "  - {type: Flatten}")
    assert shapes(graph)["flatten"] == "(None, 3 * T)"


def test_the_sequential_shorthand_takes_names():
    graph = graphspec.analyze(graphspec.loads("graphspec: 1\nlayers:\n  - {type: LSTM, units: 4, "
                                              "return_sequences: true, input_shape: [T, 3]}\n"))
    assert shapes(graph)["lstm"] == "(None, T, 4)"


def test_the_json_schema_lets_a_size_be_a_name():
    from graphspec.schema import Spec
    items = Spec.model_json_schema()["$defs"]["InputSpec"]["properties"]["shape"]["items"]
    assert {"type": "integer", "minimum": 1} in items["anyOf"]
    assert any(option.get("type") == "string" for option in items["anyOf"])
