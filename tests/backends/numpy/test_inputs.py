"""Arrays given to a compiled model are checked before anything runs: a RunError with a clear message, never a
wrong answer."""
import numpy as np
import pytest
from support import build

import graphspec


def good_pair(batch=2):
    return {"image": np.zeros((batch, 28, 28, 1), np.float32), "meta": np.zeros((batch, 12), np.float32)}


def raises(model, inputs, *fragments):
    with pytest.raises(graphspec.RunError) as error:
        model(inputs)
    for fragment in fragments:
        assert fragment in str(error.value), str(error.value)
    return str(error.value)


def test_missing_input(two_inputs):
    raises(two_inputs, {"image": good_pair()["image"]}, "missing meta", "(image, meta)")


def test_extra_input(two_inputs):
    raises(two_inputs, {**good_pair(), "extra": np.zeros((2, 3))}, "unknown extra")


def test_misspelt_input_names_both(two_inputs):
    inputs = good_pair()
    inputs["metadata"] = inputs.pop("meta")
    raises(two_inputs, inputs, "missing meta", "unknown metadata")


def test_one_array_for_a_model_of_two_inputs(two_inputs):
    raises(two_inputs, np.zeros((2, 28, 28, 1), np.float32), "2 inputs", "pass a dict")


def test_wrong_rank_names_the_expected_shape(seed_cnn):
    raises(seed_cnn, np.zeros((64, 64, 1), np.float32), "(64, 64, 1) (rank 3)", "(None, 64, 64, 1) (rank 4)",
           "the first axis is the batch")


def test_wrong_size_names_the_expected_shape(seed_cnn):
    raises(seed_cnn, np.zeros((2, 64, 32, 1), np.float32), "input 'image' has shape (2, 64, 32, 1)",
           "expects (None, 64, 64, 1)", "axis 2 differs")


def test_channels_last_not_first(seed_cnn):
    raises(seed_cnn, np.zeros((2, 1, 64, 64), np.float32), "expects (None, 64, 64, 1)", "axis 1 differs")


def test_different_batch_sizes(two_inputs):
    inputs = good_pair()
    inputs["meta"] = np.zeros((3, 12), np.float32)
    raises(two_inputs, inputs, "different batch sizes", "image 2", "meta 3")


def test_float_array_for_an_integer_input():
    model, _ = build([{"type": "Embedding", "input_dim": 5, "output_dim": 2}], {"ids": {"shape": [3], "dtype": "int32"}})
    raises(model, np.array([[1.0, 2.0, 3.0]]), "input 'ids' holds float64 values", "integer indices",
           "x.astype('int32')")


def test_integer_beyond_the_input_dtype_is_not_wrapped_around():
    """int64 2**32 + 1 would become 1 in int32 and look up row 1: it is an error instead."""
    model, _ = build([{"type": "Embedding", "input_dim": 5, "output_dim": 2}], {"ids": {"shape": [3], "dtype": "int32"}})
    raises(model, np.array([[1, 2, 2**32 + 1]], np.int64), "input 'ids' holds 4294967297 at position (0, 2)", "int32")
    raises(model, np.array([[1, 2, 2**63]], np.uint64), "9223372036854775808")
    assert model(np.array([[1, 2, 4]], np.int64)).shape == (1, 3, 2)


def test_float64_beyond_float32_is_not_made_infinite():
    model, _ = build([{"type": "Dense", "units": 2}], {"x": {"shape": [3]}})
    raises(model, np.array([[1.0, -1e300, 2.0]]), "input 'x' holds -1e+300 at position (0, 1)", "float32")
    assert model(np.array([[1.0, 3e38, 2.0]])).dtype == np.float32  # within range: cast as before


@pytest.mark.parametrize("array", [np.array([["a", "b", "c"]]), np.array([[1, None, 2]], dtype=object),
                                   np.zeros((1, 3), complex)])
def test_non_numeric_array(array):
    model, _ = build([{"type": "Dense", "units": 2}], {"x": {"shape": [3]}})
    raises(model, array, "input 'x' has dtype", "needs numbers (float32)")


def test_unknown_sizes_accept_any_length_and_known_ones_are_checked():
    model, _ = build([{"type": "Dense", "units": 2}], {"x": {"shape": [None, 3]}})
    for steps in (1, 9):
        assert model(np.zeros((2, steps, 3))).shape == (2, steps, 2)
    raises(model, np.zeros((2, 4, 2)), "expects (None, None, 3)", "axis 2 differs")


def test_a_dict_for_a_one_input_model_and_other_numeric_dtypes(seed_cnn):
    x = np.random.default_rng(0).uniform(0, 1, (2, 64, 64, 1))
    by_array = seed_cnn(x)
    assert by_array.dtype == np.float32
    np.testing.assert_array_equal(seed_cnn({"image": x}), by_array)
    np.testing.assert_array_equal(seed_cnn(x.astype(np.float32)), by_array)
    np.testing.assert_array_equal(seed_cnn(x.tolist()), by_array)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "uint16"])
def test_small_integer_inputs_are_checked_against_their_range(dtype):
    """uint8 images (and the other small integer dtypes Keras's Input takes) run as integers: Embedding looks them
    up, Rescaling casts them to float32; a value the dtype cannot hold is an error, not a wrapped-around one."""
    model, _ = build([{"type": "Embedding", "input_dim": 300, "output_dim": 2}], {"ids": {"shape": [3], "dtype": dtype}})
    limits = np.iinfo(dtype)
    assert model(np.array([[0, 1, 2]], np.int64)).shape == (1, 3, 2)
    raises(model, np.array([[1, int(limits.max) + 1, 0]]), f"input 'ids' holds {int(limits.max) + 1} at position "
           f"(0, 1), outside the range of {dtype} [{limits.min}, {limits.max}]")
    if limits.min == 0:
        raises(model, np.array([[1, -1, 0]]), "holds -1 at position (0, 1)", f"outside the range of {dtype}")


def test_uint8_images_through_rescaling():
    model, _ = build([{"type": "Rescaling", "scale": 1 / 255}], {"image": {"shape": [2, 2, 3], "dtype": "uint8"}})
    x = np.arange(12, dtype=np.uint8).reshape(1, 2, 2, 3) * 20
    out = model(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, x.astype(np.float64) / 255, rtol=1e-6)
    raises(model, x.astype(np.float32), "input 'image' holds float32 values", "(uint8)")


def test_plain_input_is_only_a_single_input_with_every_size_fixed():
    from graphspec.types import TensorType
    from graphspec_backends.numpy.inputs import plain_input
    assert plain_input({"ids": TensorType((None, 200), "int32")}) == ("ids", np.dtype("int32"), 2, (200,))
    assert plain_input({"x": TensorType((None,), "float32")}) == ("x", np.dtype("float32"), 1, ())
    assert plain_input({"x": TensorType((None, None, 3))}) is None  # a size the data fixes
    assert plain_input({"a": TensorType((None, 2)), "b": TensorType((None, 2))}) is None
