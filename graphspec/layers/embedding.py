
from typing import Literal

from pydantic import Field, StrictBool, StrictInt, field_validator
from pydantic_core import PydanticCustomError

from ..diagnostics import Code
from ..tables import TableError, resolve, table_shape
from ..types import format_shape
from .base import Advice, Layer, PositiveInt, ShapeError, register
from .primitives import INPUT, Primitive
from .weight_options import weight_options


@register
class Embedding(Layer, weight_options("embeddings", "uniform")):
    """keras.layers.Embedding: looks up row `i` of an (input_dim × output_dim) table for each integer index i.

    The same as multiplying a one-hot vector by the table, without building the one-hot vector.
    """

    min_rank = 1
    dtype_rule = "index"

    type: Literal["Embedding"] = "Embedding"
    input_dim: PositiveInt = Field(description="Vocabulary size: indices run from 0 to input_dim - 1.")
    output_dim: PositiveInt = Field(description="Length of each embedding vector.")
    mask_zero: StrictBool = Field(False, description="Index 0 is padding: later layers skip those steps.")
    oov_index: StrictInt | None = Field(None, description="Row that out-of-range indices map to, instead of an error.")
    embeddings: str | None = Field(None, description="Pretrained table: an .npy or fastText/word2vec .vec file, "
                                                     "relative to the spec file.")
    input_length: PositiveInt | None = Field(None, description="Keras 2 shorthand: input_length: 30 is input_shape: [30].")

    @field_validator("oov_index")
    @classmethod
    def _oov_in_table(cls, value, info):
        vocabulary = info.data.get("input_dim")
        if value is not None and vocabulary is not None and not 0 <= value < vocabulary:
            raise PydanticCustomError("oov_range", "must be a row of the table, in [0, {n})", {"n": vocabulary})
        return value

    def declared_input_shape(self):
        if self.input_length is not None and self.input_shape is None:
            return (self.input_length,)
        return self.input_shape

    def shorthand_fields(self):
        return [f for f in ("input_shape", "input_length", "dtype") if getattr(self, f) is not None]

    def default_input_dtype(self):
        return "int32"

    def check_files(self, base_dir):
        if self.embeddings is None:
            return
        try:
            shape = table_shape(resolve(self.embeddings, base_dir))
        except TableError as exc:
            raise ShapeError(str(exc), "give the path of an .npy or .vec file, relative to the spec file",
                             Code.TABLE_FILE, "embeddings") from None
        if tuple(shape) != (self.input_dim, self.output_dim):
            raise ShapeError(f"the table {self.embeddings} is {' × '.join(map(str, shape))}, but the layer declares "
                             f"input_dim × output_dim = {self.input_dim} × {self.output_dim}",
                             "make input_dim the table's row count and output_dim its width", Code.TABLE_SIZE,
                             "embeddings")

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def advise(self, input_shape):
        """Keras 3 ignores the deprecated input_length (Keras 2 refused an input of another length)."""
        if self.input_length is None or tuple(input_shape[1:]) in ((self.input_length,), (None,)):
            return []
        return [Advice(Code.IGNORED_FIELD, f"input_length: {self.input_length} disagrees with the input "
                       f"{format_shape(input_shape)}; Keras 3 ignores input_length, so the layer reads the input's "
                       "length", "remove input_length: the input's shape says the length", "input_length")]

    def weight_shapes(self, input_shape):
        return {"embeddings": (self.input_dim, self.output_dim)}

    def describe(self):
        frozen = ", frozen" if not self.trainable else ""
        return f"{self.input_dim:,} × {self.output_dim}{frozen}"

    def primitives(self, input_shape):
        ops, ids = [], INPUT
        if self.mask_zero:
            ops.append(Primitive("mask", "mask = (x ≠ 0)", consumes=(INPUT,), note="passed on to the layers after"))
        if self.oov_index is not None:
            ops.append(Primitive("oov", f"ids outside [0, {self.input_dim}) → {self.oov_index}", consumes=(INPUT,)))
            ids = "oov"
        return [*ops, Primitive("gather", "gather rows of embeddings", self.weight_shapes(input_shape), (ids,),
                                note="≡ one_hot(x, input_dim) @ embeddings")]
