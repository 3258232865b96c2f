from ..ops.dense import dense
from .base import Kernel, kernel


@kernel("Dense")
class DenseKernel(Kernel):
    def forward(self, inputs, masks):
        return dense(inputs[0], self.weights["kernel"], self.weights.get("bias"), self.layer.activation)
