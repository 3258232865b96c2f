import numpy as np

from ..ops.normalization import batch_norm, group_norm, unit_norm
from ..ops.normalization_grad import l2_normalize_with_backward, standardise, standardise_backward
from .base import Gradients, Kernel, kernel

UNIT_NORM_EPSILON = 1e-12  # keras.layers.UnitNormalization's floor of the norm (ops/normalization.unit_norm)
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

    def train_forward(self, inputs, masks, training):
        x, layer = _floating(inputs[0]), self.layer
        axes = tuple(sorted(_axis_index(a, x.ndim) for a in (layer.axis if isinstance(layer.axis, list)
                                                              else [layer.axis])))
        broadcast = [x.shape[i] if i in axes else 1 for i in range(x.ndim)]
        normalised, inverse = standardise(x, axes, layer.epsilon)
        others = tuple(i for i in range(x.ndim) if i not in axes)
        return _scale_and_shift(self.weights, normalised, broadcast, others, training,
                                lambda d: standardise_backward(d, normalised, inverse, axes))


@kernel("GroupNormalization")
class GroupNormKernel(Kernel):
    """The channels axis moved last (a view), normalised in groups, moved back."""

    def forward(self, inputs, masks):
        x, layer, w = inputs[0], self.layer, self.weights
        axis = _axis_index(layer.axis, x.ndim)
        y = group_norm(np.moveaxis(x, axis, -1), layer.group_count(x.shape), w.get("gamma"), w.get("beta"),
                       layer.epsilon)
        return np.moveaxis(y, -1, axis)

    def train_forward(self, inputs, masks, training):
        """Standardised per sample and group as (batch, steps, groups, channels per group), moved back."""
        layer, moved = self.layer, np.moveaxis(_floating(inputs[0]), _axis_index(self.layer.axis, inputs[0].ndim), -1)
        groups = layer.group_count(inputs[0].shape)
        grouped_shape = (moved.shape[0], moved[0, ..., 0].size, groups, moved.shape[-1] // groups)
        normalised, inverse = standardise(moved.reshape(grouped_shape), (1, 3), layer.epsilon)
        y, backward = _scale_and_shift(self.weights, normalised, (1, 1, groups, -1), (0, 1), training,
                                       lambda d: standardise_backward(d, normalised, inverse, (1, 3)))
        axis = _axis_index(layer.axis, inputs[0].ndim)

        def to_input(dy):
            grads = backward(np.moveaxis(dy, axis, -1).reshape(grouped_shape))
            grads.inputs = [np.moveaxis(grads.inputs[0].reshape(moved.shape), -1, axis)]
            return grads
        return np.moveaxis(y.reshape(moved.shape), -1, axis), to_input


def _floating(x: np.ndarray) -> np.ndarray:
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def _scale_and_shift(w, normalised, broadcast, others, training, normalised_backward):
    """normalised * gamma + beta (each optional, reshaped to `broadcast`) and its backward: the weight gradients
    summed over the axes `others` they broadcast across, the input's through `normalised_backward`."""
    gamma = w["gamma"].reshape(broadcast) if "gamma" in w else None
    y = normalised if gamma is None else normalised * gamma
    y = y + w["beta"].reshape(broadcast) if "beta" in w else y

    def backward(dy):
        grads = {}
        if training.weight_grads:
            grads.update({"gamma": (dy * normalised).sum(axis=others).reshape(w["gamma"].shape)} if "gamma" in w else {})
            grads.update({"beta": dy.sum(axis=others).reshape(w["beta"].shape)} if "beta" in w else {})
        dx = normalised_backward(dy if gamma is None else dy * gamma)
        return Gradients([dx], grads)
    return y, backward


@kernel("UnitNormalization")
class UnitNormKernel(Kernel):
    def forward(self, inputs, masks):
        x, axis = inputs[0], self.layer.axis
        return unit_norm(x, [_axis_index(a, x.ndim) for a in (axis if isinstance(axis, list) else [axis])])

    def train_forward(self, inputs, masks, training):
        x, axis = _floating(inputs[0]), self.layer.axis
        axes = tuple(_axis_index(a, x.ndim) for a in (axis if isinstance(axis, list) else [axis]))
        y, backward = l2_normalize_with_backward(x, axes, UNIT_NORM_EPSILON)
        return y, lambda dy: Gradients([backward(dy)])
