from functools import reduce

import numpy as np

from graphspec.diagnostics import RunError

from .base import Gradients, Kernel, kernel


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

    def train_forward(self, inputs, masks, training):
        axis = self.layer.axis % inputs[0].ndim
        cuts = np.cumsum([x.shape[axis] for x in inputs])[:-1]
        return self.forward(inputs, masks), lambda dy: Gradients(np.split(dy, cuts, axis=axis))

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


def unbroadcast(gradient, shape):
    """The gradient of a value broadcast to the merge's shape: summed over the axes where it had size 1."""
    axes = tuple(i for i, (g, n) in enumerate(zip(gradient.shape, shape)) if n == 1 and g != 1)
    return (gradient.sum(axis=axes, keepdims=True) if axes else gradient).reshape(shape)


def rank_aligned(inputs, masks):
    """Keras's Merge.call for inputs of different ranks: axes of size 1 after the batch (expand_dims(x, 1)) up to the
    highest rank. The expanded tensors are new ones in Keras, so their masks do not reach the merge function."""
    rank = max(x.ndim for x in inputs)
    arrays = [x.reshape(x.shape[0], *(1,) * (rank - x.ndim), *x.shape[1:]) for x in inputs]
    return arrays, [m if x.ndim == rank else None for x, m in zip(inputs, masks)]


class ElementwiseKernel(Kernel):
    combine: staticmethod
    signs: tuple = (1,)  # d output / d each input for the linear merges (Add, Subtract, Average)

    def forward(self, inputs, masks):
        return self.merge(*rank_aligned(inputs, masks))

    def train_forward(self, inputs, masks, training):
        """The linear merges: each input gets d output times its sign, summed over the axes it was broadcast on."""
        y, aligned = self.forward(inputs, masks), rank_aligned(inputs, masks)[0]

        def backward(dy):
            return Gradients([unbroadcast(dy * self.sign(i, len(inputs)), a.shape).reshape(x.shape) if need else None
                              for i, (x, a, need) in enumerate(zip(inputs, aligned, training.input_grads))])
        return y, backward

    def sign(self, index, count):
        return 1

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

    def sign(self, index, count):
        return -1 if index else 1


@kernel("Average")
class AverageKernel(ElementwiseKernel):
    """Keras 3 sums the inputs, then divides by their number; masks do not change the values."""

    combine = staticmethod(np.add)

    def merge(self, inputs, masks):
        total = super().merge(inputs, masks)
        return (total / len(inputs)).astype(total.dtype, copy=False)

    def sign(self, index, count):
        return 1 / count


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

    def train_forward(self, inputs, masks, training):
        """d x_i = d output times the other factors; a masked step of x_i (multiplied as 1) gets none."""
        arrays, aligned_masks = rank_aligned(inputs, masks)
        y, counted = self.merge(arrays, aligned_masks), self.output_mask(arrays, aligned_masks)
        factors = [x if m is None else np.where(m[..., None], x, 1) for x, m in zip(arrays, aligned_masks)]

        def backward(dy):
            dy = dy if counted is None else np.where(counted[..., None], dy, 0)
            grads = []
            for i, (x, m, need) in enumerate(zip(inputs, aligned_masks, training.input_grads)):
                others = [f for j, f in enumerate(factors) if j != i]
                g = dy * np.prod(np.broadcast_arrays(*others), axis=0) if others else dy
                g = g if m is None else np.where(m[..., None], g, 0)
                grads.append(unbroadcast(g, arrays[i].shape).reshape(x.shape).astype(x.dtype) if need else None)
            return Gradients(grads)
        return y, backward


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

    def train_forward(self, inputs, masks, training):
        """Pairwise, as the forward: each step's d output goes to the winner, halved between ties (jax's and
        torch's rule). With masks, not yet: the error says so rather than give a wrong gradient."""
        if any(m is not None for m in masks):
            raise RunError(f"layer '{self.name}' ({self.layer.kind}): training through a masked {self.layer.kind} "
                           "is not supported yet")
        arrays = rank_aligned(inputs, masks)[0]
        partials = [arrays[0]]
        for x in arrays[1:]:
            partials.append(self.combine(partials[-1], x))

        def backward(dy):
            grads, d = [None] * len(arrays), dy
            for i in range(len(arrays) - 1, 0, -1):
                left, right, out = partials[i - 1], arrays[i], partials[i]
                share = (left == out).astype(dy.dtype) * np.where(right == out, 0.5, 1.0).astype(dy.dtype)
                grads[i] = d * (1 - share)
                d = d * share
            grads[0] = d
            return Gradients([unbroadcast(g, a.shape).reshape(x.shape) if need else None
                              for g, a, x, need in zip(grads, arrays, inputs, training.input_grads)])
        return partials[-1], backward


@kernel("Maximum")
class MaximumKernel(ExtremumKernel):
    combine = staticmethod(np.maximum)


@kernel("Minimum")
class MinimumKernel(ExtremumKernel):
    combine = staticmethod(np.minimum)
