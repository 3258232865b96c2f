from functools import reduce

import numpy as np

from graphspec.diagnostics import RunError

from .base import Kernel, kernel


def _mismatch(kernel, inputs, rule: str) -> RunError:
    """Only variable-length inputs get here: the checker proved every known size fits."""
    shapes = " and ".join(str(x.shape) for x in inputs)
    return RunError(f"layer '{kernel.name}' ({kernel.layer.kind}): the inputs have shapes {shapes}; {rule}")


@kernel("Concatenate")
class ConcatenateKernel(Kernel):
    def forward(self, inputs, masks):
        try:
            return np.concatenate(inputs, axis=self.layer.axis)
        except ValueError:
            raise _mismatch(self, inputs, f"they may differ only on axis {self.layer.axis}") from None

    def output_mask(self, inputs, masks):
        """keras.layers.Concatenate.compute_mask (Keras 3): the masks (all true for an unmasked input) joined along
        `axis`, then any() over the features. Along the steps the masks are concatenated; along the features a step
        counts where any input counts it."""
        if all(m is None for m in masks):
            return None
        full = [np.ones(x.shape[:-1], bool) if m is None else m for x, m in zip(inputs, masks)]
        axis = self.layer.axis % inputs[0].ndim
        if axis == inputs[0].ndim - 1:
            return reduce(np.logical_or, full)
        return np.concatenate(full, axis=axis)


class ElementwiseKernel(Kernel):
    combine: staticmethod

    def forward(self, inputs, masks):
        result = inputs[0]
        try:
            for x in inputs[1:]:
                result = self.combine(result, x)
        except ValueError:
            raise _mismatch(self, inputs, "on each axis the sizes must be equal, or 1") from None
        return result

    def output_mask(self, inputs, masks):
        """keras.layers.Merge.compute_mask (Keras 3): no mask when an input has none; else a step counts where any
        input counts it."""
        if any(m is None for m in masks):
            return None
        return reduce(np.logical_or, masks)


@kernel("Add")
class AddKernel(ElementwiseKernel):
    combine = staticmethod(np.add)


@kernel("Multiply")
class MultiplyKernel(ElementwiseKernel):
    """Keras 3 multiplies a masked step as 1, so it leaves the other factors alone; when every input is masked,
    the steps no input counts are 0."""

    combine = staticmethod(np.multiply)

    def forward(self, inputs, masks):
        if all(m is None for m in masks):
            return super().forward(inputs, masks)
        factors = [x if m is None else np.where(m[..., None], x, 1).astype(x.dtype, copy=False)
                   for x, m in zip(inputs, masks)]
        product, counted = super().forward(factors, masks), self.output_mask(inputs, masks)
        if counted is None:
            return product
        return np.where(counted[..., None], product, 0).astype(product.dtype, copy=False)
