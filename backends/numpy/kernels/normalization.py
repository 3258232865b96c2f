import numpy as np

from ..ops.normalization import batch_norm, group_norm, unit_norm
from .base import Gradients, Kernel, kernel

KERAS_EPSILON = 1e-7  # keras.config.epsilon(), added to the count of unmasked steps


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

    def train_forward(self, inputs, masks, training):
        """Keras 3: the batch's statistics (over the unmasked steps when a mask comes), the moving ones moved
        towards them by 1 - momentum; a frozen layer (trainable: false) runs as at inference."""
        if not self.layer.trainable:
            return self._inference_train_forward(inputs, masks)
        x, w, layer = inputs[0], self.weights, self.layer
        axis = _axis_index(layer.channel_axis, x.ndim)
        moved = np.moveaxis(x if x.dtype.kind == "f" else x.astype(np.float32), axis, -1)
        axes = tuple(range(moved.ndim - 1))
        weight = None if masks[0] is None else masks[0].reshape(*masks[0].shape, 1).astype(moved.dtype)
        count = moved.size // moved.shape[-1] if weight is None else weight.sum() + KERAS_EPSILON
        mean = (moved if weight is None else moved * weight).sum(axis=axes) / count
        centered = moved - mean
        variance = np.square(centered if weight is None else centered * weight).sum(axis=axes) / count
        inverse = 1 / np.sqrt(variance + layer.epsilon)
        normalised = centered * inverse
        gamma = w.get("gamma", np.ones_like(inverse))
        y = normalised * gamma + (w["beta"] if "beta" in w else 0)
        momentum = layer.momentum
        training.assign("moving_mean", (w["moving_mean"] * momentum + mean * (1 - momentum)).astype(np.float32))
        training.assign("moving_variance", (w["moving_variance"] * momentum + variance * (1 - momentum))
                        .astype(np.float32))

        def backward(dy):
            dy = np.moveaxis(dy, axis, -1)
            grads = {}
            if training.weight_grads:
                grads.update({"gamma": (dy * normalised).sum(axis=axes)} if "gamma" in w else {})
                grads.update({"beta": dy.sum(axis=axes)} if "beta" in w else {})
            d_normalised = dy * gamma
            share = 1 / count if weight is None else weight / count
            dx = inverse * (d_normalised - share * d_normalised.sum(axis=axes)
                            - share * normalised * (d_normalised * normalised).sum(axis=axes))
            return Gradients([np.moveaxis(dx.astype(x.dtype), -1, axis)], grads)
        return np.moveaxis(y.astype(moved.dtype), -1, axis), backward

    def _inference_train_forward(self, inputs, masks):
        w, axis = self.weights, _axis_index(self.layer.channel_axis, inputs[0].ndim)
        scale = 1 / np.sqrt(w["moving_variance"].astype(np.float64) + self.layer.epsilon) * w.get("gamma", 1.0)
        shape = [1] * inputs[0].ndim
        shape[axis] = -1
        scale = scale.reshape(shape)
        return self.forward(inputs, masks), lambda dy: Gradients([(dy * scale).astype(dy.dtype)])


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
