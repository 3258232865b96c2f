import numpy as np

from ..ops.normalization import batch_norm, group_norm, unit_norm
from .base import Kernel, kernel


def _axis_index(axis: int, rank: int) -> int:
    return axis % rank


@kernel("BatchNormalization")
class BatchNormKernel(Kernel):
    """Inference: the moving statistics, folded into one scale and shift."""

    def forward(self, inputs, masks):
        w, x = self.weights, inputs[0]
        axis = _axis_index(self.layer.channel_axis, x.ndim)
        moved = np.moveaxis(x, axis, -1)  # the op normalises the last axis; a view, no copy
        y = batch_norm(moved, w.get("gamma"), w.get("beta"), w["moving_mean"], w["moving_variance"],
                       self.layer.epsilon)
        return np.moveaxis(y, -1, axis)


@kernel("LayerNormalization")
class LayerNormKernel(Kernel):
    """Each sample over the layer's axes; gamma and beta broadcast over the rest, as Keras reshapes them."""

    def forward(self, inputs, masks):
        x, layer, w = inputs[0], self.layer, self.weights
        x = x if x.dtype.kind == "f" else x.astype(np.float32)
        axes = sorted(_axis_index(a, x.ndim) for a in (layer.axis if isinstance(layer.axis, list) else [layer.axis]))
        centered = x - x.mean(axis=tuple(axes), keepdims=True)
        variance = np.mean(np.square(centered), axis=tuple(axes), keepdims=True)
        centered *= (1 / np.sqrt(variance + layer.epsilon)).astype(x.dtype)
        broadcast = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
        if "gamma" in w:
            centered *= w["gamma"].reshape(broadcast)
        if "beta" in w:
            centered += w["beta"].reshape(broadcast)
        return centered


@kernel("GroupNormalization")
class GroupNormKernel(Kernel):
    """The channels axis moved last (a view), normalised in groups, moved back."""

    def forward(self, inputs, masks):
        x, layer, w = inputs[0], self.layer, self.weights
        axis = _axis_index(layer.axis, x.ndim)
        y = group_norm(np.moveaxis(x, axis, -1), layer.group_count(x.shape), w.get("gamma"), w.get("beta"),
                       layer.epsilon)
        return np.moveaxis(y, -1, axis)


@kernel("UnitNormalization")
class UnitNormKernel(Kernel):
    def forward(self, inputs, masks):
        x, axis = inputs[0], self.layer.axis
        return unit_norm(x, [_axis_index(a, x.ndim) for a in (axis if isinstance(axis, list) else [axis])])
