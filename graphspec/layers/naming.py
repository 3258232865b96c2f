"""Keras's snake_case rule, which names layers (MaxPooling2D -> max_pooling2d) and initialisers alike."""

import re
from functools import cache


@cache  # a few dozen class names, asked for once per layer
def snake_case(name: str) -> str:
    """Keras's to_snake_case: MaxPooling2D -> max_pooling2d, SimpleRNN -> simple_rnn, GlorotUniform -> glorot_uniform."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
