from ..ops.layout import channels_back, channels_last
from ..ops.pooling import global_pool, pool
from ..ops.pooling_gradients import pool_gradient
import numpy as np

from .base import Gradients, Kernel, kernel

_MODES = {"maximum": "max", "mean": "avg"}  # the layer's reduction -> the op's mode


@kernel("MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D")
class PoolKernel(Kernel):
    """channels_first: pooled on a channels-last view, the result viewed back."""

    def forward(self, inputs, masks):
        layer = self.layer
        x = channels_last(inputs[0], layer.channels_first)
        pooled = pool(x, layer.pool_size, layer.window_strides, layer.padding, _MODES[layer.reduction])
        return channels_back(pooled, layer.channels_first)

    def train_forward(self, inputs, masks, training):
        layer = self.layer
        x = channels_last(inputs[0], layer.channels_first)
        mode = _MODES[layer.reduction]
        pooled = pool(x, layer.pool_size, layer.window_strides, layer.padding, mode)

        def backward(dy):
            dx = pool_gradient(x, pooled, channels_last(dy, layer.channels_first), layer.pool_size,
                               layer.window_strides, layer.padding, mode)
            return Gradients([channels_back(dx, layer.channels_first)])
        return channels_back(pooled, layer.channels_first), backward


@kernel("GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
        "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D")
class GlobalPoolKernel(Kernel):
    """Averages over the unmasked steps only when a mask_zero mask reaches it, as Keras does; passes no mask on."""

    def forward(self, inputs, masks):
        layer, x = self.layer, inputs[0]
        mask = masks[0] if layer.supports_masking else None
        pooled = global_pool(channels_last(x, layer.channels_first), _MODES[layer.reduction], mask)
        if not layer.keepdims:
            return pooled
        batch, channels, kept = *pooled.shape, (1,) * (x.ndim - 2)
        return pooled.reshape(batch, channels, *kept) if layer.channels_first else pooled.reshape(batch, *kept, channels)

    def train_forward(self, inputs, masks, training):
        """Average: d output spread evenly over the (unmasked) steps. Max: to the maximum, shared among ties as
        jax and torch share it; a masked step never receives any."""
        layer, x = self.layer, inputs[0]
        mask = masks[0] if layer.supports_masking else None
        y, x_last = self.forward(inputs, masks), channels_last(x, layer.channels_first)
        batch, channels = x.shape[0], x_last.shape[-1]
        if mask is not None:  # a (batch, steps) mask, for (batch, steps, channels): a weight per step
            weight = mask.reshape(*mask.shape, 1).astype(x.dtype)
        else:
            weight = np.ones((1,) * x.ndim, x.dtype)
        if layer.reduction == "maximum":
            winners = (x_last == y.reshape(batch, *(1,) * (x.ndim - 2), channels)) * weight
            weight = winners / winners.sum(axis=tuple(range(1, x.ndim - 1)), keepdims=True)
        else:
            count = weight.sum(axis=tuple(range(1, x.ndim - 1)), keepdims=True) if mask is not None \
                else np.prod(x_last.shape[1:-1])
            weight = weight / count

        def backward(dy):
            g = (dy.reshape(batch, *(1,) * (x.ndim - 2), channels) * weight).astype(x.dtype, copy=False)
            # a read-only broadcast, never written out: an Embedding before the mean gathers from its distinct rows
            return Gradients([channels_back(np.broadcast_to(g, x_last.shape), layer.channels_first)])
        return y, backward

    def output_mask(self, inputs, masks):
        return None
