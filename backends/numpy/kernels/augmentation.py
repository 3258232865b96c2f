from graphspec.layers.augmentation import Augmentation
from graphspec.layers.base import LAYERS

from .base import Kernel, kernel
from .preprocessing import as_float

IDENTITY_AT_INFERENCE = sorted({cls.__name__ for cls in LAYERS.values()
                                if issubclass(cls, Augmentation) and cls.__name__ != "RandomCrop"})


@kernel(*IDENTITY_AT_INFERENCE)
class AugmentationKernel(Kernel):
    """Keras's random image layers at inference: the images unchanged, integers cast to float32 as Keras declares
    (RandomGrayscale keeps the dtype)."""

    def forward(self, inputs, masks):
        x = inputs[0]
        return x if self.layer.dtype_rule == "preserve" else as_float(x)
