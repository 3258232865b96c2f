"""The Keras-style summary read off the checked graph, for valid and invalid specs alike."""
import graphspec


def test_summary_of_a_spec_whose_input_was_refused_names_the_input():
    """An input rejected for a bad field has no type; the summary still prints, saying so (it raised before)."""
    graph = graphspec.analyze(graphspec.loads(
        "graphspec: 1\nname: t\ninputs: {ids: {shape: [6], dtype: int32, high: 10}}\n"
        "layers: [{type: Embedding, name: e, inputs: ids, input_dim: 10, output_dim: 4}]\noutputs: [e]\n"))
    lines = graph.summary().splitlines()
    assert lines[1] == "Input: ids error"
    assert lines[5].split() == ["e", "(Embedding)", "?", "0"]  # skipped: its input is unknown
