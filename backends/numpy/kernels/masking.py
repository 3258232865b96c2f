import numpy as np

from .base import Gradients, Kernel, kernel


@kernel("Masking")
class MaskingKernel(Kernel):
    """keras.layers.Masking: a step whose features all equal mask_value is zeroed, and masked for the layers after."""

    def forward(self, inputs, masks):
        x = inputs[0]
        return np.where(self.output_mask(inputs, masks)[..., np.newaxis], x, np.zeros((), x.dtype))

    def train_forward(self, inputs, masks, training):
        """Keras multiplies by the mask: the masked steps get no gradient."""
        keep = self.output_mask(inputs, masks)[..., np.newaxis]
        zero = np.zeros((), inputs[0].dtype)
        return np.where(keep, inputs[0], zero), lambda dy: Gradients([np.where(keep, dy, np.zeros((), dy.dtype))])

    def output_mask(self, inputs, masks):
        """Keras's compute_mask: any feature differs from mask_value (the mask arriving, if any, is replaced)."""
        return np.any(inputs[0] != self.layer.mask_value, axis=-1)
