import pytest
from pydantic import ValidationError

from graphspec.layers import Embedding


def test_embedding_adds_a_vector_axis():
    layer = Embedding(input_dim=1000, output_dim=100)
    assert layer.compute_output_shape((None, 60)) == (None, 60, 100)
    assert layer.weight_shapes((None, 60)) == {"embeddings": (1000, 100)}
    assert layer.count_params((None, 60)) == (100_000, 0)


def test_one_index_per_sample_and_unknown_lengths():
    layer = Embedding(input_dim=10, output_dim=4)
    assert layer.compute_output_shape((None,)) == (None, 4)
    assert layer.compute_output_shape((None, None)) == (None, None, 4)


def test_frozen_pretrained_table():
    layer = Embedding(input_dim=1000, output_dim=100, trainable=False, embeddings="glove.npy")
    assert layer.count_params((None, 60)) == (0, 100_000)
    assert layer.describe() == "1,000 × 100, frozen"


def test_input_dim_is_the_vocabulary_not_the_shorthand():
    layer = Embedding(input_dim=1000, output_dim=100, input_length=30)
    assert layer.declared_input_shape() == (30,)
    assert layer.shorthand_fields() == ["input_length"]
    assert Embedding(input_dim=1000, output_dim=8, input_shape=[20]).declared_input_shape() == (20,)
    assert (layer.dtype_rule, layer.default_input_dtype()) == ("index", "int32")


@pytest.mark.parametrize("oov", [0, 999])
def test_oov_index_in_the_table(oov):
    assert Embedding(input_dim=1000, output_dim=8, oov_index=oov).oov_index == oov


@pytest.mark.parametrize("oov", [-1, 1000])
def test_oov_index_outside_the_table(oov):
    with pytest.raises(ValidationError) as info:
        Embedding(input_dim=1000, output_dim=8, oov_index=oov)
    assert (info.value.errors()[0]["type"], info.value.errors()[0]["loc"]) == ("oov_range", ("oov_index",))


def test_sizes_must_be_positive():
    with pytest.raises(ValidationError) as info:
        Embedding(input_dim=0, output_dim=8)
    assert info.value.errors()[0]["loc"] == ("input_dim",)
