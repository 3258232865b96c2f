from ..ops.pooling import global_pool, pool
from .base import Kernel, kernel


@kernel("MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D")
class PoolKernel(Kernel):
    def forward(self, inputs, masks):
        layer = self.layer
        mode = "max" if layer.kind.startswith("Max") else "avg"
        return pool(inputs[0], layer.pool_size, layer.window_strides, layer.padding, mode)


@kernel("GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D")
class GlobalPoolKernel(Kernel):
    """Averages over the unmasked steps only when a mask_zero mask reaches it, as Keras does."""

    def forward(self, inputs, masks):
        layer = self.layer
        mode = "max" if layer.kind.startswith("GlobalMax") else "avg"
        mask = masks[0] if layer.supports_masking else None
        pooled = global_pool(inputs[0], mode, mask)
        return pooled.reshape(pooled.shape[0], *[1] * (inputs[0].ndim - 2), -1) if layer.keepdims else pooled

    def output_mask(self, inputs, masks):
        return None
