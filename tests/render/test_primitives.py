"""`Layer.primitives`, what `--expand` draws: every layer type describes its inside soundly, with its own weights."""
import pytest

from support import SPECS
from graphspec.cli import check_file
from graphspec.layers import GlobalAveragePooling2D, layer_types
from graphspec.layers.primitives import INPUT, Primitive, input_of

SPEC_LAYERS = [(graph, name) for path in sorted(SPECS.iterdir()) if path.suffix in (".yaml", ".json")
               for graph in [check_file(path)[0]] for name in graph.layer_names()]
EXAMPLES = [(layer, layer.primitives(shape), layer.weight_shapes(shape)) for layer, shape in [
    *((graph[name].layer, graph.input_shape(name)) for graph, name in SPEC_LAYERS),
    (GlobalAveragePooling2D(), (None, 8, 8, 3)),  # the one type no example spec uses
]]


def test_the_examples_cover_every_layer_type():
    assert {layer.kind for layer, _, _ in EXAMPLES} == {cls.__name__ for cls in layer_types()}


@pytest.mark.parametrize(("layer", "ops", "weights"), EXAMPLES, ids=lambda x: getattr(x, "kind", ""))
def test_the_operations_hold_exactly_the_layers_weights_and_are_wired(layer, ops, weights):
    held = [weight for op in ops for weight in op.weights]
    assert sorted(held) == sorted(weights)  # each weight once
    assert {w: s for op in ops for w, s in op.weights.items()} == weights
    names = [op.name for op in ops]
    assert len(set(names)) == len(names)
    inputs = (INPUT, *map(input_of, range(layer.max_inputs or 1)))  # all inputs, or one of them
    assert not ops[0].consumes or set(ops[0].consumes) <= set(inputs)  # something reads the layer's input
    assert all(source in (*names, *inputs) for op in ops for source in op.consumes)


def _ops(spec: str, name: str) -> list[Primitive]:
    graph, _ = check_file(SPECS / spec)
    return graph[name].layer.primitives(graph.input_shape(name))


def test_embedding_is_a_row_gather_from_its_table():
    assert _ops("fasttext_two_tables.yaml", "pretrained") == [
        Primitive("gather", "gather rows of embeddings", {"embeddings": (20000, 300)}, (INPUT,),
                  "≡ one_hot(x, input_dim) @ embeddings")]
    assert [op.name for op in _ops("lstm_sequence.yaml", "embedding")] == ["mask", "gather"]  # mask_zero


def test_decomposed_conv_is_a_vertical_then_a_horizontal_convolution():
    assert [(op.label, op.weights) for op in _ops("decomposeme_cnn.yaml", "conv2")] == [
        ("vertical conv, 3×1 windows, padding valid", {"vertical_kernel": (3, 1, 64, 32)}),
        ("+ vertical_bias", {"vertical_bias": (32,)}), ("relu", {}),
        ("horizontal conv, 1×3 windows, padding valid", {"horizontal_kernel": (1, 3, 32, 64)}),
        ("+ horizontal_bias", {"horizontal_bias": (64,)}), ("relu", {})]


def test_lstm_has_its_gates_and_its_state_carried_to_the_next_step():
    ops = _ops("fasttext_two_tables.yaml", "lstm")
    assert [(op.name, op.label, op.consumes) for op in ops] == [
        ("x_proj", "x(t) @ kernel", (INPUT,)), ("h_proj", "h(t−1) @ recurrent_kernel", ("h",)),
        ("bias", "+ bias", ("x_proj", "h_proj")), ("i", "input gate i = sigmoid(·)", ("bias",)),
        ("f", "forget gate f = sigmoid(·)", ("bias",)), ("g", "candidate g = tanh(·)", ("bias",)),
        ("o", "output gate o = sigmoid(·)", ("bias",)), ("c", "c(t) = f × c(t−1) + i × g", ("f", "c", "i", "g")),
        ("h", "h(t) = o × tanh(c(t))", ("o", "c"))]
    assert ops[0].weights == {"kernel": (332, 256)}


def test_gru_resets_after_the_recurrent_matmul_by_default():
    ops = {op.name: op for op in _ops("lstm_sequence.yaml", "gru")}
    assert ops["candidate"].label == "ĥ = tanh(x_h + r × (h(t−1) @ U_h + b_h))"
    assert ops["h"].label == "h(t) = z × h(t−1) + (1 − z) × ĥ"
    assert ops["bias"].weights == {"bias": (2, 192)}


def test_batch_normalization_is_its_affine_normalisation():
    assert [(op.label, op.weights) for op in _ops("two_inputs.yaml", "batch_normalization")] == [
        ("(x − moving_mean) / √(moving_variance + 0.001)", {"moving_mean": (16,), "moving_variance": (16,)}),
        ("× gamma", {"gamma": (16,)}), ("+ beta", {"beta": (16,)})]
