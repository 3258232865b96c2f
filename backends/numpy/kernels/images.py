"""What the image preprocessing and augmentation kernels share: float32 compute, and the training-mode forward
written once on channels-last images, a channels_first input's axes moved there and back."""
import numpy as np

from graphspec.diagnostics import RunError

from .base import Gradients, Kernel


def as_float(x: np.ndarray) -> np.ndarray:
    """Keras's preprocessing layers compute in float32: integer pixels are cast, floats kept."""
    return x if x.dtype.kind == "f" else x.astype(np.float32)


class ImageKernel(Kernel):
    """A subclass writes `transform(x, rng) -> (y, backward)` on channels-last float images, `backward(dy) -> dx`
    the exact gradient wherever the output depends differentiably on the input. `channels`: the channel counts the
    transform takes (None: any), as Keras's colour conversions take RGB (or grey) only."""
    channels: tuple[int, ...] | None = None

    def train_forward(self, inputs, masks, training):
        x = inputs[0] if self.layer.dtype_rule == "preserve" else as_float(inputs[0])
        first = getattr(self.layer, "channels_first", False)
        count = x.shape[1 if first else -1]
        if self.channels is not None and count not in self.channels:
            raise RunError(f"layer '{self.name}' ({self.layer.kind}) converts colours while training, so it needs "
                           f"{' or '.join(map(str, self.channels))} channels ({'grey or ' if 1 in self.channels else ''}RGB), "
                           f"as Keras does; the input has "
                           f"{count}")
        y, backward = self.transform(np.moveaxis(x, 1, -1) if first else x, training.rng)
        if not first:
            return y, lambda dy: Gradients([backward(dy)])
        return np.moveaxis(y, -1, 1), lambda dy: Gradients([np.moveaxis(backward(np.moveaxis(dy, 1, -1)), -1, 1)])

    def transform(self, x: np.ndarray, rng: np.random.Generator):
        raise NotImplementedError(f"{type(self).__name__} has no transform")
