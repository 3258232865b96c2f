"""Concatenate, Add and Multiply through the public path against loop references: axis 1 and -1, broadcasting
(a size 1 repeats), three inputs, and the masks they pass on (Keras 3's compute_mask)."""
import itertools

import numpy as np
import pytest
from support import assert_close, build

import graphspec


def three_inputs(shapes, batch):
    rng = np.random.default_rng(batch)
    names = ["a", "b", "c"][: len(shapes)]
    arrays = {n: rng.uniform(-1, 1, (batch, *s)).astype(np.float32) for n, s in zip(names, shapes)}
    return {n: {"shape": list(s)} for n, s in zip(names, shapes)}, arrays


@pytest.mark.parametrize("axis, shapes", [
    (-1, [(4, 2), (4, 3)]), (-1, [(4, 2), (4, 3), (4, 1)]), (1, [(2, 3), (4, 3)]), (1, [(1, 3), (2, 3), (3, 3)]),
    (2, [(2, 3, 1), (2, 2, 1)]), (1, [(5,), (2,)]), (-2, [(2, 2, 3), (2, 1, 3), (2, 2, 3)]),
])
@pytest.mark.parametrize("batch", [1, 3])
def test_concatenate(axis, shapes, batch):
    specs, arrays = three_inputs(shapes, batch)
    model, _ = build([{"type": "Concatenate", "inputs": list(specs), "axis": axis}], specs)
    out = model(arrays)
    rank = len(shapes[0]) + 1
    joined = axis % rank
    expected = np.zeros(out.shape)
    for index in itertools.product(*map(range, out.shape)):
        position = index[joined]
        for name in specs:  # walk the inputs along the joined axis until `position` falls in one
            size = arrays[name].shape[joined]
            if position < size:
                source = list(index)
                source[joined] = position
                expected[index] = arrays[name][tuple(source)]
                break
            position -= size
    assert out.shape == (batch, *model.graph.output_types[model.output_names[0]].shape[1:])
    assert_close(out, expected)


@pytest.mark.parametrize("kind", ["Add", "Multiply"])
@pytest.mark.parametrize("shapes", [[(4, 3), (4, 3)], [(4, 3), (1, 3), (4, 1)], [(2, 1, 3), (1, 4, 1), (2, 4, 3)],
                                    [(5,), (5,), (1,)]])
@pytest.mark.parametrize("batch", [1, 3])
def test_elementwise_with_broadcasting(kind, shapes, batch):
    specs, arrays = three_inputs(shapes, batch)
    model, _ = build([{"type": kind, "inputs": list(specs)}], specs)
    out = model(arrays)
    out_shape = (batch, *(max(sizes) for sizes in zip(*shapes)))
    expected = np.zeros(out_shape)
    for index in itertools.product(*map(range, out_shape)):
        values = []
        for name in specs:  # a size-1 axis repeats its one element
            array = arrays[name]
            values.append(float(array[tuple(i if n > 1 else 0 for i, n in zip(index, array.shape))]))
        total = values[0]
        for v in values[1:]:
            total = total + v if kind == "Add" else total * v
        expected[index] = total
    assert_close(out, expected)


def test_add_of_one_input_twice():
    model, _ = build([{"type": "Dense", "name": "d", "units": 3, "activation": "relu"},
                      {"type": "Add", "inputs": ["d", "d", "x"]}], {"x": {"shape": [3]}})
    x = np.random.default_rng(0).uniform(-1, 1, (2, 3)).astype(np.float32)
    w = model.get_weights()["d"]
    hidden = np.maximum(x.astype(np.float64) @ w["kernel"] + w["bias"], 0)
    assert_close(model(x), 2 * hidden + x)


# --- masks: two token inputs, each through its own Embedding, merged, then averaged over the unmasked steps ---

A = np.array([[1, 2, 0, 0], [3, 0, 4, 5]], np.int32)
B = np.array([[2, 0, 3, 0], [1, 1, 0, 0]], np.int32)


def masked_merge(merge, mask_a=True, mask_b=True, length_b=4):
    layers = [{"type": "Embedding", "name": "ea", "inputs": "a", "input_dim": 6, "output_dim": 3, "mask_zero": mask_a},
              {"type": "Embedding", "name": "eb", "inputs": "b", "input_dim": 6, "output_dim": 3, "mask_zero": mask_b},
              {**merge, "name": "merged", "inputs": ["ea", "eb"]}, {"type": "GlobalAveragePooling1D"}]
    model, w = build(layers, {"a": {"shape": [4], "dtype": "int32"}, "b": {"shape": [length_b], "dtype": "int32"}})
    return model, w["ea"]["embeddings"], w["eb"]["embeddings"]


def average(steps, keep):
    kept = [s for s, k in zip(steps, keep) if k]
    return sum(kept) / len(kept)


def keras_factor(row, ids, masked):
    """An input's value at a step as Keras 3's Multiply uses it: 1 where its own mask drops the step."""
    return np.ones_like(row) if masked and ids == 0 else row


@pytest.mark.parametrize("kind", ["Add", "Multiply"])
def test_elementwise_mask_is_the_or_of_the_masks(kind):
    """keras.layers.Merge.compute_mask (Keras 3): a step counts where any input counts it. Multiply takes a masked
    step as 1 and sets the steps that no input counts to 0."""
    model, ta, tb = masked_merge({"type": kind})
    expected = []
    for r in range(2):
        if kind == "Add":
            steps = [ta[i] + tb[j] for i, j in zip(A[r], B[r])]
        else:
            steps = [keras_factor(ta[i], i, True) * keras_factor(tb[j], j, True) if i or j else np.zeros(3)
                     for i, j in zip(A[r], B[r])]
        expected.append(average(steps, [i != 0 or j != 0 for i, j in zip(A[r], B[r])]))
    assert_close(model({"a": A, "b": B}), np.array(expected))


@pytest.mark.parametrize("kind", ["Add", "Multiply"])
@pytest.mark.parametrize("mask_a, mask_b", [(True, False), (False, True)])
def test_elementwise_with_an_unmasked_input_passes_no_mask(kind, mask_a, mask_b):
    """Keras 3: one input without a mask means no mask after the merge, so every step is averaged; Multiply still
    takes the masked input's dropped steps as 1."""
    model, ta, tb = masked_merge({"type": kind}, mask_a, mask_b)
    combine = (lambda i, j: ta[i] + tb[j]) if kind == "Add" else \
        (lambda i, j: keras_factor(ta[i], i, mask_a) * keras_factor(tb[j], j, mask_b))
    expected = [average([combine(i, j) for i, j in zip(A[r], B[r])], [True] * 4) for r in range(2)]
    assert_close(model({"a": A, "b": B}), np.array(expected))


def test_concatenate_features_mask_is_the_or_of_the_masks():
    """keras.layers.Concatenate.compute_mask (Keras 3): masks concatenated along `axis`, then any() over the last
    axis: on the features axis a step counts where any input counts it."""
    model, ta, tb = masked_merge({"type": "Concatenate", "axis": -1})
    expected = [average([np.concatenate([ta[i], tb[j]]) for i, j in zip(A[r], B[r])],
                        [i != 0 or j != 0 for i, j in zip(A[r], B[r])]) for r in range(2)]
    assert_close(model({"a": A, "b": B}), np.array(expected))


def test_concatenate_features_with_an_unmasked_input_counts_every_step():
    """Keras 3 stands an all-true mask in for an unmasked input, so any() over the features is true everywhere."""
    model, ta, tb = masked_merge({"type": "Concatenate", "axis": -1}, mask_b=False)
    expected = [average([np.concatenate([ta[i], tb[j]]) for i, j in zip(A[r], B[r])], [True] * 4) for r in range(2)]
    assert_close(model({"a": A, "b": B}), np.array(expected))


@pytest.mark.parametrize("mask_b", [True, False])
def test_concatenate_along_the_steps_concatenates_the_masks(mask_b):
    b = np.array([[4, 0, 2], [0, 0, 0]], np.int32)
    model, ta, tb = masked_merge({"type": "Concatenate", "axis": 1}, mask_b=mask_b, length_b=3)
    expected = [average([ta[i] for i in A[r]] + [tb[j] for j in b[r]], [*(A[r] != 0), *(b[r] != 0 if mask_b else [1] * 3)])
                for r in range(2)]
    assert_close(model({"a": A, "b": b}), np.array(expected))


@pytest.mark.parametrize("merge, rule", [({"type": "Concatenate"}, "they may differ only on axis -1"),
                                         ({"type": "Add"}, "on each axis the sizes must be equal, or 1")])
def test_variable_lengths_that_differ_at_run_time_are_a_run_error(merge, rule):
    model, _ = build([{**merge, "name": "merged", "inputs": ["a", "b"]}],
                     {"a": {"shape": [None, 2]}, "b": {"shape": [None, 2]}})
    with pytest.raises(graphspec.RunError) as error:
        model({"a": np.zeros((1, 4, 2), np.float32), "b": np.zeros((1, 5, 2), np.float32)})
    assert str(error.value) == f"layer 'merged' ({merge['type']}): the inputs have shapes (1, 4, 2) and (1, 5, 2); {rule}"
