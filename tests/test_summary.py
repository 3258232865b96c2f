"""The Keras-style summary read off the checked graph, for valid and invalid specs alike."""
import graphspec


def test_summary_of_a_spec_whose_input_was_refused_names_the_input():
    """An input rejected for a bad field has no type; the summary still prints, saying so (it raised before)."""
    graph = graphspec.analyze(graphspec.loads(
        "graphspec: 1\nname: t\ninputs: {ids: {shape: [6], dtype: int32, high: 10}}\n"
        "layers: [{type: Embedding, name: e, inputs: ids, input_dim: 10, output_dim: 4}]\noutputs: [e]\n"))
    lines = graph.summary().splitlines()
    assert lines[1] == "Input: ids error"
    assert lines[5].split() == ["e", "(Embedding)", "?", "0", "0"]  # skipped: its input is unknown


def test_summary_reports_macs_per_row_and_in_total_and_flops_as_twice_them():
    from support import SPECS
    graph = graphspec.check(SPECS / "seed_cnn.yaml")
    lines = graph.summary().splitlines()
    assert lines[3].split() == ["Layer", "(type)", "Output", "Shape", "Dtype", "Param", "#", "MACs"]
    conv1 = next(line for line in lines if line.startswith("conv1 "))
    assert conv1.split()[-2:] == ["640", f"{62 * 62 * 64 * 3 * 3:,}"]  # each output value: a 3×3×1 window
    assert graph["dense"].macs == 12544 * 64
    total = sum(info.macs for info in graph.nodes.values())
    assert f"Total MACs: {total:,} (34.02 M) per sample" in lines
    assert f"FLOPs (2 × MACs): {2 * total:,} (68.04 M) per sample" in lines


def test_a_graph_summary_puts_macs_before_the_connections():
    from support import SPECS
    lines = graphspec.check(SPECS / "two_inputs.yaml").summary().splitlines()
    assert lines[2].split()[-4:] == ["#", "MACs", "Connected", "to"]
