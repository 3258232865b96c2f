from ..ops.pooling import global_pool, pool
from .base import Kernel, kernel

_MODES = {"maximum": "max", "mean": "avg"}  # the layer's reduction -> the op's mode


@kernel("MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D")
class PoolKernel(Kernel):
    def forward(self, inputs, masks):
        layer = self.layer
        return pool(inputs[0], layer.pool_size, layer.window_strides, layer.padding, _MODES[layer.reduction])


@kernel("GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D")
class GlobalPoolKernel(Kernel):
    """Averages over the unmasked steps only when a mask_zero mask reaches it, as Keras does."""

    def forward(self, inputs, masks):
        layer = self.layer
        mask = masks[0] if layer.supports_masking else None
        pooled = global_pool(inputs[0], _MODES[layer.reduction], mask)
        return pooled.reshape(pooled.shape[0], *[1] * (inputs[0].ndim - 2), -1) if layer.keepdims else pooled

    def output_mask(self, inputs, masks):
        return None
