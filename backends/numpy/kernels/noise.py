from .base import Identity, kernel


@kernel("Dropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
        "GaussianDropout")
class TrainingOnlyKernel(Identity):
    """Dropout and its kin, and GaussianNoise, change nothing at inference, as in Keras."""
