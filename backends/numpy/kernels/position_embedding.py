import numpy as np

from graphspec.diagnostics import RunError

from ..ops.position_embedding import sine_positions
from .base import Gradients, Kernel, kernel


def _dtype(x: np.ndarray) -> type:
    """The checker's float rule: float64 stays float64, anything else gives float32 (Keras's layer dtype)."""
    return np.float64 if x.dtype == np.float64 else np.float32


@kernel("PositionEmbedding")
class PositionEmbeddingKernel(Kernel):
    """keras_hub's PositionEmbedding: the table's first `steps` rows, broadcast over the batch (the input gives only
    its shape). keras_hub does not support masking, so a mask arriving is dropped (Kernel.output_mask)."""

    def forward(self, inputs, masks):
        x, table = inputs[0], self.weights["embeddings"]
        steps = x.shape[-2]
        if steps > table.shape[0]:
            raise RunError(f"layer '{self.name}' (PositionEmbedding): the input has {steps} steps, but the table "
                           f"holds sequence_length = {table.shape[0]} positions; raise sequence_length to at least "
                           f"{steps}, or feed shorter sequences")
        return np.broadcast_to(table[:steps].astype(_dtype(x)), x.shape).copy()

    def train_forward(self, inputs, masks, training):
        """The table's first rows get the output's gradient summed over the batch; the input, read only for its
        shape, gets zeros."""
        y, table = self.forward(inputs, masks), self.weights["embeddings"]

        def backward(dy):
            grads = {}
            if training.weight_grads:
                d_table = np.zeros(table.shape, table.dtype)
                d_table[:dy.shape[-2]] = dy.reshape(-1, *dy.shape[-2:]).sum(axis=0)
                grads["embeddings"] = d_table
            return Gradients([_zero_input(inputs[0], training)], grads)
        return y, backward


@kernel("SinePositionEncoding")
class SinePositionEncodingKernel(Kernel):
    """keras_hub's SinePositionEncoding: the fixed sine/cosine table for the input's steps and features, in float32
    as keras_hub computes it, broadcast over the batch; a mask arriving is dropped."""

    def forward(self, inputs, masks):
        x = inputs[0]
        table = sine_positions(x.shape[-2], x.shape[-1], self.layer.max_wavelength)
        return np.broadcast_to(table.astype(_dtype(x)), x.shape).copy()

    def train_forward(self, inputs, masks, training):
        """A fixed table: no weights, and the input (read for its shape) gets zeros."""
        return self.forward(inputs, masks), lambda dy: Gradients([_zero_input(inputs[0], training)])


def _zero_input(x: np.ndarray, training) -> np.ndarray | None:
    return np.zeros(x.shape, _dtype(x)) if training.needs(0) and x.dtype.kind == "f" else None
