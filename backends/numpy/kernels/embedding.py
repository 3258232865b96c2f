from graphspec.diagnostics import RunError
from graphspec.tables import TableError, load_table, resolve

from ..ops.embedding import embedding_lookup, row_ids
from ..ops.row_gradient import RowGradient
from .base import Gradients, Kernel, kernel


@kernel("Embedding")
class EmbeddingKernel(Kernel):
    """One gather; with mask_zero, index 0 marks padding that later layers skip."""

    @classmethod
    def initial_weights(cls, layer, shapes, rng, base_dir):
        """A pretrained table named by `embeddings:` (relative to the spec file), else Keras's uniform start."""
        if layer.embeddings is None:
            return super().initial_weights(layer, shapes, rng, base_dir)
        try:
            return {"embeddings": load_table(resolve(layer.embeddings, base_dir))}
        except TableError as exc:
            raise RunError(f"layer '{layer.name or layer.kind}': {exc}") from None

    def forward(self, inputs, masks):
        try:
            return embedding_lookup(inputs[0], self.weights["embeddings"], self.layer.oov_index)
        except IndexError as exc:
            raise RunError(f"layer '{self.name}' (Embedding): {exc}; valid ids are 0 to {self.layer.input_dim - 1}. "
                           "Raise input_dim to cover the vocabulary, or set oov_index to map unknown ids to a row") from None

    def output_mask(self, inputs, masks):
        return inputs[0] != 0 if self.layer.mask_zero else None

    def train_forward(self, inputs, masks, training):
        """The backward is a scatter-add into the rows the ids reached (ops.row_gradient.RowGradient): rows no id
        reached get an exact 0, and out-of-range ids mapped by oov_index send theirs to that row."""
        table = self.weights["embeddings"]
        y = self.forward(inputs, masks)
        ids = row_ids(inputs[0], table.shape[0], self.layer.oov_index)
        if not hasattr(self, "_row_gradient"):
            self._row_gradient = RowGradient()

        def backward(dy):
            if not training.weight_grads:
                return Gradients([None])
            return Gradients([None], {"embeddings": self._row_gradient(ids, dy.astype(table.dtype, copy=False),
                                                                       table.shape[0])})
        return y, backward
