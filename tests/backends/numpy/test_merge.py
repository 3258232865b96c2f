"""The merges through the public path against loop references: Concatenate on axis 1 and -1; the element-wise
merges with broadcasting (a size 1 repeats; a lower rank gets axes of size 1 after the batch, as Keras's
Merge.call does); Dot (Keras's batch_dot); three inputs, and the masks they use and pass on (Keras 3)."""
import itertools
import math

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


COMBINE = {"Add": sum, "Multiply": math.prod, "Average": lambda v: sum(v) / len(v), "Maximum": max, "Minimum": min,
           "Subtract": lambda v: v[0] - v[1]}


@pytest.mark.parametrize("kind", sorted(COMBINE))
@pytest.mark.parametrize("shapes", [[(4, 3), (4, 3)], [(4, 3), (1, 3), (4, 1)], [(2, 1, 3), (1, 4, 1), (2, 4, 3)],
                                    [(5,), (5,), (1,)], [(3,), (2, 3)], [(2, 4, 3), (1,), (4, 1)], [(4, 1), (3, 1, 5)]])
@pytest.mark.parametrize("batch", [1, 3])
def test_elementwise_with_broadcasting(kind, shapes, batch):
    shapes = shapes[:2] if kind == "Subtract" else shapes
    specs, arrays = three_inputs(shapes, batch)
    model, _ = build([{"type": kind, "inputs": list(specs)}], specs)
    out = model(arrays)
    rank = max(len(s) for s in shapes)
    aligned = [(1,) * (rank - len(s)) + s for s in shapes]  # Keras: axes of size 1 after the batch
    out_shape = (batch, *(max(sizes) for sizes in zip(*aligned)))
    expected = np.zeros(out_shape)
    for index in itertools.product(*map(range, out_shape)):
        values = []
        for name, shape in zip(specs, aligned):  # a size-1 axis repeats its one element
            array = arrays[name].reshape(batch, *shape)
            values.append(float(array[tuple(i if n > 1 else 0 for i, n in zip(index, array.shape))]))
        expected[index] = COMBINE[kind](values)
    assert out.shape == out_shape
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


@pytest.mark.parametrize("kind, pick", [("Maximum", max), ("Minimum", min)])
@pytest.mark.parametrize("mask_a, mask_b", [(True, True), (True, False), (False, True)])
def test_extremum_takes_the_other_value_at_a_masked_step(kind, pick, mask_a, mask_b):
    """Keras 3's Merge._apply_merge_op_and_or_mask: where one input masks a step, the other's value stands in for
    it; the mask after is the OR of both, or none if an input has none."""
    model, ta, tb = masked_merge({"type": kind}, mask_a, mask_b)
    expected = []
    for r in range(2):
        steps = []
        for i, j in zip(A[r], B[r]):
            a, b = ta[i], tb[j]
            a_out, b_out = mask_a and i == 0, mask_b and j == 0
            b = a if b_out else b
            a = b if a_out else a
            steps.append(np.array([pick(u, v) for u, v in zip(a, b)]))
        keep = [(i != 0 or j != 0) if mask_a and mask_b else True for i, j in zip(A[r], B[r])]
        expected.append(average(steps, keep))
    assert_close(model({"a": A, "b": B}), np.array(expected))


@pytest.mark.parametrize("kind", ["Average", "Subtract"])
def test_average_and_subtract_ignore_masks_in_their_values(kind):
    model, ta, tb = masked_merge({"type": kind})
    combine = (lambda u, v: (u + v) / 2) if kind == "Average" else (lambda u, v: u - v)
    expected = [average([combine(ta[i], tb[j]) for i, j in zip(A[r], B[r])],
                        [i != 0 or j != 0 for i, j in zip(A[r], B[r])]) for r in range(2)]
    assert_close(model({"a": A, "b": B}), np.array(expected))


def reference_dot(x, y, a1, a2, normalize):
    """Keras's batch_dot as loops: for each sample, sum over the shared axis; x's other axes, then y's."""
    if normalize:
        x = x / np.maximum(np.sqrt((x.astype(np.float64) ** 2).sum(axis=a1, keepdims=True)), 1e-7)
        y = y / np.maximum(np.sqrt((y.astype(np.float64) ** 2).sum(axis=a2, keepdims=True)), 1e-7)
    x_rest = [n for i, n in enumerate(x.shape) if i not in (0, a1)]
    y_rest = [n for i, n in enumerate(y.shape) if i not in (0, a2)]
    out = np.zeros((x.shape[0], *x_rest, *y_rest))
    for b in range(x.shape[0]):
        for xi in itertools.product(*map(range, x_rest)):
            for yi in itertools.product(*map(range, y_rest)):
                total = 0.0
                for k in range(x.shape[a1]):
                    xs, ys = list(xi), list(yi)
                    xs.insert(a1 - 1, k)
                    ys.insert(a2 - 1, k)
                    total += float(x[(b, *xs)]) * float(y[(b, *ys)])
                out[(b, *xi, *yi)] = total
    return out.reshape(x.shape[0], 1) if out.ndim == 1 else out


@pytest.mark.parametrize("axes, shapes, pair", [
    (1, [(5,), (5,)], (1, 1)), (-1, [(3, 5), (5,)], (2, 1)), ([1, 1], [(5,), (5, 3)], (1, 1)),
    (2, [(4, 5), (6, 5)], (2, 2)), ([2, 1], [(4, 5), (5, 6)], (2, 1)), ([1, 2], [(5, 3), (4, 5)], (1, 2)),
    ([3, 1], [(2, 3, 4), (4, 2, 3)], (3, 1)), ([-2, -1], [(2, 4, 2), (3, 4)], (2, 2)),
])
@pytest.mark.parametrize("normalize", [False, True])
def test_dot_is_keras_batch_dot(axes, shapes, pair, normalize):
    specs, arrays = three_inputs(shapes, 3)
    model, _ = build([{"type": "Dot", "inputs": list(specs), "axes": axes, "normalize": normalize}], specs)
    out = model(arrays)
    assert out.shape == (3, *model.graph.output_types[model.output_names[0]].shape[1:])
    assert_close(out, reference_dot(arrays["a"], arrays["b"], *pair, normalize))


def test_dot_of_a_zero_vector_is_zero_when_normalized():
    specs, arrays = three_inputs([(3,), (3,)], 2)
    arrays["a"][0] = 0
    model, _ = build([{"type": "Dot", "inputs": list(specs), "axes": 1, "normalize": True}], specs)
    out = model(arrays)
    assert np.all(np.isfinite(out)) and out[0, 0] == 0


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
                                         ({"type": "Add"}, "on each axis the sizes must be equal, or 1"),
                                         ({"type": "Dot", "axes": 1}, "Dot sums over axis 1 of the first and axis 1 "
                                                                      "of the second, but they are 4 and 5 long")])
def test_variable_lengths_that_differ_at_run_time_are_a_run_error(merge, rule):
    model, _ = build([{**merge, "name": "merged", "inputs": ["a", "b"]}],
                     {"a": {"shape": [None, 2]}, "b": {"shape": [None, 2]}})
    with pytest.raises(graphspec.RunError) as error:
        model({"a": np.zeros((1, 4, 2), np.float32), "b": np.zeros((1, 5, 2), np.float32)})
    assert str(error.value) == f"layer 'merged' ({merge['type']}): the inputs have shapes (1, 4, 2) and (1, 5, 2); {rule}"
