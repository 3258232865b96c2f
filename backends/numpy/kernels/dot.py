"""Dot: Keras's batch_dot of two inputs over one axis each, as one einsum."""
import numpy as np

from ..ops.normalization_grad import l2_normalize_with_backward
from .base import Gradients, Kernel, kernel
from .merge import mismatch

LETTERS = "abcdefghijklmnopqrstuvwxyz"
EPSILON = 1e-7  # keras.backend.epsilon(), the floor of the norm in keras.ops.normalize


def l2_normalize(x, axis):
    """keras.ops.normalize(x, axis, order=2): x × min(1 / sqrt(sum of squares), 1 / epsilon)."""
    with np.errstate(divide="ignore"):
        inverse = 1 / np.sqrt(np.sum(x * x, axis=axis, keepdims=True))
    return x * np.minimum(inverse, x.dtype.type(1 / EPSILON))


def batch_dot_subscripts(x_rank, y_rank, a1, a2):
    """The einsum subscripts of x, y and the result of batch_dot (z is the batch)."""
    x_axes = "z" + LETTERS[:x_rank - 1]
    y_axes = "z" + LETTERS[x_rank - 1:x_rank + y_rank - 2]
    y_axes = y_axes[:a2] + x_axes[a1] + y_axes[a2:-1]
    return x_axes, y_axes, x_axes.replace(x_axes[a1], "") + y_axes[1:].replace(x_axes[a1], "")


def batch_dot(x, y, a1, a2):
    """Sums x × y over x's axis a1 and y's a2, sample by sample: (batch, x's other axes, y's other axes)."""
    x_axes, y_axes, out = batch_dot_subscripts(x.ndim, y.ndim, a1, a2)
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

    def train_forward(self, inputs, masks, training):
        """The same einsum with the output's subscripts swapped for each input's; normalize's backward after."""
        self.forward(inputs, masks)  # its errors, for lengths only known at run time
        x, y = (a if a.dtype.kind == "f" else a.astype(np.float32) for a in inputs)
        a1, a2 = self.layer.pair([x.shape, y.shape])
        x_back = y_back = lambda d: d
        if self.layer.normalize:
            (x, x_back), (y, y_back) = l2_normalize_with_backward(x, (a1,), EPSILON), l2_normalize_with_backward(
                y, (a2,), EPSILON)
        x_axes, y_axes, out = batch_dot_subscripts(x.ndim, y.ndim, a1, a2)
        result = batch_dot(x, y, a1, a2)

        def backward(d_result):
            d_result = d_result.reshape(d_result.shape[0]) if not out[1:] else d_result
            dx = x_back(np.einsum(f"{out},{y_axes}->{x_axes}", d_result, y)) if training.needs(0) else None
            dy = y_back(np.einsum(f"{out},{x_axes}->{y_axes}", d_result, x)) if training.needs(1) else None
            return Gradients([dx, dy])
        return result, backward
