from ..ops.layout import channels_back, channels_last
from ..ops.pooling import global_pool, pool
from .base import Kernel, kernel

_MODES = {"maximum": "max", "mean": "avg"}  # the layer's reduction -> the op's mode


@kernel("MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D")
class PoolKernel(Kernel):
    """channels_first: pooled on a channels-last view, the result viewed back."""

    def forward(self, inputs, masks):
        layer = self.layer
        x = channels_last(inputs[0], layer.channels_first)
        pooled = pool(x, layer.pool_size, layer.window_strides, layer.padding, _MODES[layer.reduction])
        return channels_back(pooled, layer.channels_first)


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

    def output_mask(self, inputs, masks):
        return None
