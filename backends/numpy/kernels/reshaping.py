from .base import Kernel, kernel


@kernel("Flatten")
class FlattenKernel(Kernel):
    def forward(self, inputs, masks):
        return inputs[0].reshape(inputs[0].shape[0], -1)


@kernel("Reshape")
class ReshapeKernel(Kernel):
    def forward(self, inputs, masks):
        return inputs[0].reshape(inputs[0].shape[0], *self.layer.target_shape)
