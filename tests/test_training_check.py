"""What `graphspec check` reports about a training: block (GS800-GS804), located in the text, and its schema."""
from graphspec.schema import Spec
from support import analyze_text, found

HEAD = """graphspec: 1
name: t
inputs: {x: {shape: [4]}}
layers:
"""


def codes(layers: str, training: str):
    graph = analyze_text(HEAD + layers + "training:\n" + training)
    return [(d.severity.value, d.code.value, d.line) for d in graph.diagnostics]


def test_a_valid_block_checks_and_is_kept():
    graph = analyze_text(HEAD + "  - {type: Dense, units: 3, activation: softmax}\ntraining:\n"
                         "  loss: sparse_categorical_crossentropy\n  optimizer: {type: sgd, momentum: 0.9}\n")
    assert found(graph) == []
    assert graph.spec.training.optimizer.momentum == 0.9 and graph.spec.training.epochs == 1


def test_nothing_trainable():
    assert ("error", "GS803", 7) in codes("  - {type: Dense, units: 1, trainable: false}\n", "  loss: mse\n")


def test_logits_loss_on_a_linear_output_is_fine_and_probabilities_on_it_warn():
    assert codes("  - {type: Dense, units: 3}\n", "  loss: {type: categorical_crossentropy, from_logits: true}\n") == []
    assert codes("  - {type: Dense, units: 3}\n", "  loss: categorical_crossentropy\n") == [("warning", "GS802", 7)]


def test_sparse_labels_on_a_one_unit_output():
    assert codes("  - {type: Dense, units: 1, activation: sigmoid}\n",
                 "  loss: sparse_categorical_crossentropy\n") == [("error", "GS801", 7)]


def test_unknown_schedule_and_bad_values():
    found_codes = codes("  - {type: Dense, units: 1}\n", "  loss: mse\n  optimizer: {type: adam, learning_rate: "
                        "{type: cosine_decy, decay_steps: 3}}\n  batch_size: 0\n")
    assert found_codes == [("error", "GS800", 8), ("error", "GS204", 9)]


def test_several_outputs_are_refused():
    layers = ("  - {type: Dense, name: a, units: 1, inputs: x}\n  - {type: Dense, name: b, units: 1, inputs: x}\n"
              "outputs: [a, b]\n")
    assert ("error", "GS804", 9) in codes(layers, "  loss: mse\n")


def test_the_block_is_in_the_json_schema():
    schema = Spec.model_json_schema()
    assert "training" in schema["properties"] and "TrainingSpec" in schema["$defs"]


def test_a_later_output_as_the_model_output_is_checked_by_its_own_shape():
    layers = "  - {type: Dense, name: seq, units: 2}\n  - {type: Reshape, target_shape: [2, 1]}\n" \
             "  - {type: LSTM, name: encoder, units: 1, return_state: true}\noutputs: encoder:state_c\n"
    assert codes(layers, "  loss: sparse_categorical_crossentropy\n") == [("error", "GS801", 10)]
    assert codes(layers, "  loss: mse\n") == []
