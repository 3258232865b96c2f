"""Dense, Embedding and the dropouts: Keras 1's names, and Embedding's graphspec-only fields."""
from __future__ import annotations

from . import Mapping, register

register(Mapping(renames={"init": "kernel_initializer"}), "Dense")
register(Mapping(renames={"p": "rate"}), "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
         "GaussianDropout", "AlphaDropout")
register(Mapping(renames={"sigma": "stddev"}), "GaussianNoise")
# Keras 1's Embedding `dropout` dropped whole words in training only.
register(Mapping(renames={"init": "embeddings_initializer", "W_regularizer": "embeddings_regularizer",
                          "W_constraint": "embeddings_constraint", "output_dim": "output_dim"},
                 inert={"dropout": [0, 0.0]},
                 not_keras={"oov_index": None, "embeddings": "its table is in the weights",
                            "input_length": "Keras 3 reads the length from the input"}),
         "Embedding")
# Keras 1's TimeDistributedDense is Dense applied to the last axis, which Keras 3's Dense is.
register(Mapping(renames={"init": "kernel_initializer"}, renamed_class="Dense"), "TimeDistributedDense")
