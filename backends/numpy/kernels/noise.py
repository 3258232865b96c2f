"""Dropout and its kin, and GaussianNoise: the identity at inference, as in Keras; while training, Keras 3's
noise drawn from the plan's seeded generator (Training.rng), so a run is reproducible from its seed."""
import numpy as np

from .base import Gradients, Identity, kernel

# keras/src/layers/regularization/alpha_dropout.py: SELU's constants.
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def floats(x):
    return x if x.dtype.kind == "f" else x.astype(np.float32)


class TrainingOnlyKernel(Identity):
    def noise_shape(self, x):
        """The shape of one draw: the input's, or noise_shape with None for the input's sizes."""
        given = getattr(self.layer, "noise_shape", None)
        return x.shape if given is None else tuple(n if g is None else g for g, n in zip(given, x.shape))

    def train_forward(self, inputs, masks, training):
        x = floats(inputs[0])
        if not self.layer.rate:
            return x, lambda dy: Gradients([dy])
        factor = self.factor(x, training.rng).astype(x.dtype)
        return x * factor, lambda dy: Gradients([dy * factor])


@kernel("Dropout")
class DropoutKernel(TrainingOnlyKernel):
    def factor(self, x, rng):
        rate = self.layer.rate
        return (rng.random(self.noise_shape(x)) >= rate) / (1 - rate)


@kernel("SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D")
class SpatialDropoutKernel(DropoutKernel):
    """One draw per sample and channel, the whole feature map kept or dropped."""

    def noise_shape(self, x):
        channels_first = getattr(self.layer, "channels_first", False)
        ones = (1,) * (x.ndim - 2)
        return (x.shape[0], x.shape[1], *ones) if channels_first else (x.shape[0], *ones, x.shape[-1])


@kernel("GaussianDropout")
class GaussianDropoutKernel(TrainingOnlyKernel):
    def factor(self, x, rng):
        rate = self.layer.rate
        return rng.normal(1.0, np.sqrt(rate / (1 - rate)), x.shape)


@kernel("AlphaDropout")
class AlphaDropoutKernel(TrainingOnlyKernel):
    """Dropped values go to SELU's saturation -alpha*scale, then an affine map keeps the mean and variance."""

    def train_forward(self, inputs, masks, training):
        x, rate = floats(inputs[0]), self.layer.rate
        if not rate:
            return x, lambda dy: Gradients([dy])
        kept = (training.rng.random(self.noise_shape(x)) >= rate).astype(x.dtype)
        saturated = -SELU_ALPHA * SELU_SCALE
        a = ((1 - rate) * (1 + rate * saturated ** 2)) ** -0.5
        b = -a * saturated * rate
        y = (a * (x * kept + saturated * (1 - kept)) + b).astype(x.dtype)
        return y, lambda dy: Gradients([dy * (a * kept).astype(dy.dtype)])


@kernel("GaussianNoise")
class GaussianNoiseKernel(TrainingOnlyKernel):
    def train_forward(self, inputs, masks, training):
        x = floats(inputs[0])
        if not self.layer.stddev:
            return x, lambda dy: Gradients([dy])
        return x + training.rng.normal(0.0, self.layer.stddev, x.shape).astype(x.dtype), lambda dy: Gradients([dy])
