from functools import reduce

import numpy as np

from graphspec.diagnostics import RunError

from .base import Kernel, kernel


def mismatch(kernel, inputs, rule: str) -> RunError:
    """Only variable-length inputs get here: the checker proved every known size fits."""
    shapes = " and ".join(str(x.shape) for x in inputs)
    return RunError(f"layer '{kernel.name}' ({kernel.layer.kind}): the inputs have shapes {shapes}; {rule}")


@kernel("Concatenate")
class ConcatenateKernel(Kernel):
    def forward(self, inputs, masks):
        try:
            return np.concatenate(inputs, axis=self.layer.axis)
        except ValueError:
            raise mismatch(self, inputs, f"they may differ only on axis {self.layer.axis}") from None

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


def rank_aligned(inputs, masks):
    """Keras's Merge.call for inputs of different ranks: axes of size 1 after the batch (expand_dims(x, 1)) up to the
    highest rank. The expanded tensors are new ones in Keras, so their masks do not reach the merge function."""
    rank = max(x.ndim for x in inputs)
    arrays = [x.reshape(x.shape[0], *(1,) * (rank - x.ndim), *x.shape[1:]) for x in inputs]
    return arrays, [m if x.ndim == rank else None for x, m in zip(inputs, masks)]


class ElementwiseKernel(Kernel):
    combine: staticmethod

    def forward(self, inputs, masks):
        return self.merge(*rank_aligned(inputs, masks))

    def merge(self, inputs, masks):
        """The merge function on inputs of one rank (Keras's _merge_function)."""
        result = inputs[0]
        try:
            for x in inputs[1:]:
                result = self.combine(result, x)
        except ValueError:
            raise mismatch(self, inputs, "on each axis the sizes must be equal, or 1") from None
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


@kernel("Subtract")
class SubtractKernel(ElementwiseKernel):
    combine = staticmethod(np.subtract)


@kernel("Average")
class AverageKernel(ElementwiseKernel):
    """Keras 3 sums the inputs, then divides by their number; masks do not change the values."""

    combine = staticmethod(np.add)

    def merge(self, inputs, masks):
        total = super().merge(inputs, masks)
        return (total / len(inputs)).astype(total.dtype, copy=False)


@kernel("Multiply")
class MultiplyKernel(ElementwiseKernel):
    """Keras 3 multiplies a masked step as 1, so it leaves the other factors alone; when every input is masked,
    the steps no input counts are 0."""

    combine = staticmethod(np.multiply)

    def merge(self, inputs, masks):
        if all(m is None for m in masks):
            return super().merge(inputs, masks)
        factors = [x if m is None else np.where(m[..., None], x, 1).astype(x.dtype, copy=False)
                   for x, m in zip(inputs, masks)]
        product, counted = super().merge(factors, masks), self.output_mask(inputs, masks)
        if counted is None:
            return product
        return np.where(counted[..., None], product, 0).astype(product.dtype, copy=False)


class ExtremumKernel(ElementwiseKernel):
    """Keras 3's Merge._apply_merge_op_and_or_mask: at a step one input masks, the other's value stands in for it,
    so a masked step never wins the maximum (or minimum) unless every input masks it."""

    def merge(self, inputs, masks):
        if all(m is None for m in masks):
            return super().merge(inputs, masks)
        result, counted = inputs[0], None if masks[0] is None else masks[0][..., None]
        for x, mask in zip(inputs[1:], masks[1:]):
            mask = None if mask is None else mask[..., None]
            if mask is not None:
                x = np.where(mask, x, result)
            if counted is not None:
                result = np.where(counted, result, x)
            counted = None if mask is None or counted is None else counted | mask
            result = super().merge([result, x], [None, None])
        return result


@kernel("Maximum")
class MaximumKernel(ExtremumKernel):
    combine = staticmethod(np.maximum)


@kernel("Minimum")
class MinimumKernel(ExtremumKernel):
    combine = staticmethod(np.minimum)
