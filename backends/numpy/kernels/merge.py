import numpy as np

from .base import Kernel, kernel


def _combined_mask(masks):
    """Keras merges masks by AND: a step counts only where every masked input counts it."""
    present = [m for m in masks if m is not None]
    return np.logical_and.reduce(present) if present else None


@kernel("Concatenate")
class ConcatenateKernel(Kernel):
    def forward(self, inputs, masks):
        return np.concatenate(inputs, axis=self.layer.axis)

    def output_mask(self, inputs, masks):
        return _combined_mask(masks)


@kernel("Add", "Multiply")
class ElementwiseKernel(Kernel):
    def forward(self, inputs, masks):
        combine = np.add if self.layer.kind == "Add" else np.multiply
        result = inputs[0]
        for x in inputs[1:]:
            result = combine(result, x)
        return result

    def output_mask(self, inputs, masks):
        return _combined_mask(masks)
