"""Dot: Keras's batch_dot of two inputs over one axis each, as one einsum."""
import numpy as np

from .base import Kernel, kernel
from .merge import mismatch

LETTERS = "abcdefghijklmnopqrstuvwxyz"
EPSILON = 1e-7  # keras.backend.epsilon(), the floor of the norm in keras.ops.normalize


def l2_normalize(x, axis):
    """keras.ops.normalize(x, axis, order=2): x × min(1 / sqrt(sum of squares), 1 / epsilon)."""
    with np.errstate(divide="ignore"):
        inverse = 1 / np.sqrt(np.sum(x * x, axis=axis, keepdims=True))
    return x * np.minimum(inverse, x.dtype.type(1 / EPSILON))


def batch_dot(x, y, a1, a2):
    """Sums x × y over x's axis a1 and y's a2, sample by sample: (batch, x's other axes, y's other axes)."""
    x_axes = "z" + LETTERS[:x.ndim - 1]
    y_axes = "z" + LETTERS[x.ndim - 1:x.ndim + y.ndim - 2]
    y_axes = y_axes[:a2] + x_axes[a1] + y_axes[a2:-1]
    out = x_axes.replace(x_axes[a1], "") + y_axes[1:].replace(x_axes[a1], "")
    result = np.einsum(f"{x_axes},{y_axes}->{out}", x, y)
    return result.reshape(result.shape[0], 1) if result.ndim == 1 else result


@kernel("Dot")
class DotKernel(Kernel):
    def forward(self, inputs, masks):
        x, y = (a if a.dtype.kind == "f" else a.astype(np.float32) for a in inputs)
        a1, a2 = self.layer.pair([x.shape, y.shape])
        if x.shape[a1] != y.shape[a2]:  # only variable lengths get here: the checker proved known sizes agree
            raise mismatch(self, inputs, f"Dot sums over axis {a1} of the first and axis {a2} of the second, but "
                                         f"they are {x.shape[a1]} and {y.shape[a2]} long")
        if self.layer.normalize:
            x, y = l2_normalize(x, a1), l2_normalize(y, a2)
        return batch_dot(x, y, a1, a2)
