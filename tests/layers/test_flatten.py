from graphspec.layers import Flatten


def test_flatten_multiplies_the_axes_after_the_batch():
    assert Flatten().compute_output_shape((None, 30, 2)) == (None, 60)
    assert Flatten().compute_output_shape((None, 7, 7, 64)) == (None, 3136)


def test_an_unknown_size_makes_the_result_unknown():
    assert Flatten().compute_output_shape((None, None, 4)) == (None, None)


def test_no_weights_and_dtype_preserved():
    assert Flatten().count_params((None, 7, 7, 64)) == (0, 0)
    assert Flatten.dtype_rule == "preserve"
