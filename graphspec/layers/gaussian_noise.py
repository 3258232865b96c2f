
from typing import Literal

from pydantic import Field, StrictFloat, StrictInt

from .base import Layer, register
from .primitives import Primitive


@register
class GaussianNoise(Layer):
    """keras.layers.GaussianNoise: adds zero-mean noise while training; the identity at inference."""

    supports_masking = True

    type: Literal["GaussianNoise"] = "GaussianNoise"
    # Keras 3 rejects a stddev above 1 as well as a negative one.
    stddev: StrictFloat = Field(ge=0, le=1, description="Standard deviation of the noise.")
    seed: StrictInt | None = None

    def describe(self):
        return f"σ {self.stddev:g}"

    def primitives(self, input_shape):
        return [Primitive("noise", f"+ normal noise, mean 0, σ {self.stddev:g}",
                          note="while training; the identity at inference")]
