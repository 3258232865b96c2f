from ..ops.activations import activate_inplace
from .base import Kernel, kernel


@kernel("Activation")
class ActivationKernel(Kernel):
    def forward(self, inputs, masks):
        x = inputs[0]
        return activate_inplace(x.astype(x.dtype if x.dtype.kind == "f" else "float32", copy=True), self.layer.activation)
