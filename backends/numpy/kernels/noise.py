from .base import Identity, kernel


@kernel("Dropout", "GaussianNoise")
class TrainingOnlyKernel(Identity):
    """Dropout and GaussianNoise change nothing at inference, as in Keras."""
