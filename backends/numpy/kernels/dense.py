import numpy as np

from ..ops.activation_gradients import activate_for_training
from ..ops.dense import dense
from .base import Gradients, Kernel, kernel


@kernel("Dense")
class DenseKernel(Kernel):
    def forward(self, inputs, masks):
        return dense(inputs[0], self.weights["kernel"], self.weights.get("bias"), self.layer.activation)

    def train_forward(self, inputs, masks, training):
        x, kernel_ = inputs[0], self.weights["kernel"]
        y, chain = activate_for_training(dense(x, kernel_, self.weights.get("bias")), self.layer.activation)

        def backward(dy):
            dz = chain(dy).reshape(-1, kernel_.shape[1])
            grads = {}
            if training.weight_grads:
                grads["kernel"] = x.reshape(-1, kernel_.shape[0]).T.astype(dz.dtype, copy=False) @ dz
                if "bias" in self.weights:
                    grads["bias"] = dz.sum(axis=0)
            dx = (dz @ kernel_.T).reshape(x.shape) if training.needs(0) else None
            return Gradients([dx], grads)
        return y, backward
