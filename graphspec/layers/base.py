"""What every layer type shares: the common spec fields, the registry, and the uniform input checks.

A layer type is a pydantic model whose `type` literal names it as Keras does. It states its output
shape apart from any computation (`compute_output_shape`, as Keras 3 does), its weights by Keras
name and layout (`weight_shapes`), and how much work it is (`macs`).
"""

import ast
import math
from typing import Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt,
                      ValidationError, field_validator)
from pydantic_core import PydanticCustomError

from ..activations import ActivationName  # noqa: F401 - the layer modules take it from here
from ..diagnostics import Code
from ..named_shape import NamedShape
from ..types import DType, format_shape
from .naming import snake_case  # noqa: F401 - layers and the renderer import it from here
from .primitives import Primitive
from .weight_options import KerasObject, RegularizerOption, constraint_problem, initializer_problem

Shape = tuple[int | None, ...]
LAYERS: dict[str, type["Layer"]] = {}

# Keras lower-cases padding before checking it ("SAME" works there too).
Padding = Annotated[Literal["valid", "same"], BeforeValidator(lambda v: v.lower() if isinstance(v, str) else v)]


class Advice(NamedTuple):
    """A warning about a layer that is valid but probably not what its author wants."""

    code: Code
    message: str
    hint: str | None = None
    field: str | None = None  # the field to point at, if one is to blame


class Forms(str):
    """Field metadata, `Annotated[int | tuple[int, int], Forms("one axis or a pair [...]")]`: how an error names the
    forms a field takes, where the words read from its type would not say what each form means."""


class ShapeError(Exception):
    """A shape or dtype rule that does not hold; `field` names the spec field to point at, if one is to blame."""

    def __init__(self, message: str, hint: str | None = None, code: Code = Code.SHAPE_MISMATCH, field: str | None = None):
        super().__init__(message)
        self.message, self.hint, self.code, self.field = message, hint, code, field


def _parse_shape(value: Any) -> Any:
    """Accepts [28, 28, 1] and the Python-style strings "(28, 28, 1)" or "(20,)"; a bare number is the classic mistake."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            raise PydanticCustomError("shape_syntax", "'{text}' is not a shape", {"text": value})
    if isinstance(value, bool):
        raise PydanticCustomError("shape_syntax", "a shape is a list of sizes, not a boolean")
    if isinstance(value, int):
        raise PydanticCustomError("bare_shape", "a shape must be a list, but got the bare number {n}", {"n": value})
    return value


PositiveInt = Annotated[int, Field(gt=0, strict=True)]  # strict: `units: true` or "64" is a mistake, not 1 or 64


def _python_tuple(value: Any) -> Any:
    """"(3, 3)", as Keras code writes a window, is the list [3, 3]; any other text is left for the type to refuse."""
    if isinstance(value, str) and value.strip().startswith("(") and value.strip().endswith(")"):
        try:
            parsed = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            return value
        return parsed if isinstance(parsed, (tuple, int)) else value  # (3) is 3 in Python
    return value


# A size per spatial axis, or one for all: kernel_size, strides, dilation_rate, pool_size.
PerAxis = Annotated[StrictInt | tuple[StrictInt, ...], BeforeValidator(_python_tuple)]


def _layer_name(name: str) -> str:
    """Keras refuses '/' in a name (it separates a layer from its weights); a blank or multi-line name is a slip."""
    if "/" in name:
        raise PydanticCustomError("layer_name", "a layer name may not hold '/', which Keras refuses")
    if not name.strip() or any(ord(c) < 32 for c in name):
        raise PydanticCustomError("layer_name", "a layer name needs a visible character and no line breaks or tabs")
    return name


LayerName = Annotated[str, Field(strict=True), AfterValidator(_layer_name)]


def sequential_shape(shape: list) -> str:
    """How the Sequential shorthand declares an input shape, for hints."""
    return f"input_shape {shape}"
InputShape = Annotated[tuple[PositiveInt | None, ...], BeforeValidator(_parse_shape)]


def spatial_tuple(value: int | tuple[int, ...], rank: int) -> tuple[int, ...]:
    """Keras lets kernel_size, strides, pool_size and dilation_rate be one int or one int per spatial axis."""
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(values) != rank:
        raise PydanticCustomError("tuple_length", "needs 1 or {rank} values (one per spatial axis)",
                                  {"rank": rank})
    if any(v <= 0 for v in values):
        raise PydanticCustomError("not_positive", "values must be positive")
    return values


def register(cls: type["Layer"]) -> type["Layer"]:
    """Makes a layer type known under every name its `type` literal allows."""
    for name in cls.model_fields["type"].annotation.__args__:
        LAYERS[name] = cls
    return cls


class Layer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, defer_build=True)

    min_inputs: ClassVar[int] = 1
    max_inputs: ClassVar[int | None] = 1
    min_rank: ClassVar[int] = 2  # counting the batch axis
    max_rank: ClassVar[int | None] = None
    # float: integers are cast (with a warning); cast: integers are cast silently (it is the layer's job, as
    # Rescaling's on uint8 images); preserve: the input's dtype; index: integer ids in, float32 out.
    dtype_rule: ClassVar[Literal["float", "cast", "preserve", "index"]] = "float"
    non_trainable_weights: ClassVar[frozenset[str]] = frozenset()
    supports_masking: ClassVar[bool] = False  # passes a mask_zero mask on to the next layer, as in Keras
    axes: ClassVar[str] = "(batch, ..., features)"  # how the rank error names the axes it wants
    # weight -> the prefix of its Keras options where Keras names them otherwise (recurrent_kernel: recurrent_*);
    # "" where the option is plain `initializer` (keras_hub's PositionEmbedding)
    option_prefixes: ClassVar[dict[str, str]] = {}
    # Trainable weights whose Keras layer takes an initializer but no regularizer or constraint for them (keras_hub's)
    unregularized_weights: ClassVar[frozenset[str]] = frozenset()
    # Weights Keras starts one fixed way, with no option field (Normalization's adapted mean, variance and count).
    fixed_initializers: ClassVar[dict[str, str]] = {}
    # The inputs of a multi-input layer by the names Keras's call gives them, in order (query, value, key): `inputs`
    # may then be a mapping by these names, the first min_inputs of them required.
    input_names: ClassVar[tuple[str, ...]] = ()
    # Fields beyond `inputs` that name tensors the layer reads (a recurrent layer's initial_state); they follow the
    # inputs, in this order, in what the layer's rules and kernel receive.
    reference_fields: ClassVar[tuple[str, ...]] = ()

    type: str
    name: LayerName | None = Field(None, description="Unique layer name; defaults to Keras's snake_case name.")
    inputs: str | list[str] | dict[str, str] | None = Field(
        None, description="Layer or input name(s) feeding this layer; default: the previous layer. A layer whose "
                          "inputs have names (query, value, key) also takes them as a mapping by name.")
    trainable: StrictBool = True
    input_shape: NamedShape | None = Field(None, description="Sequential shorthand on the first layer: the input shape without the batch.")
    input_dim: PositiveInt | None = Field(None, description="Sequential shorthand: input_dim: 784 is input_shape: [784].")
    dtype: DType | None = Field(None, description="With input_shape: the dtype of the model's input.")
    activity_regularizer: RegularizerOption | None = Field(None, description="Penalty on the layer's output while "
                                                                            "training (a Keras regularizer).")

    def __init__(self, **data: Any):
        """Built in Python, a bad field raises graphspec's LayerError: a SpecError with the hints a spec file gets."""
        try:
            super().__init__(**data)
        except ValidationError as exc:
            from ..reader import layer_error  # the reader imports every layer type, so it is imported here
            raise layer_error(type(self), exc) from None

    # Marked as pydantic's own __init__ (as pydantic's RootModel marks its): validating a mapping (the spec reader's
    # layer_adapter) does not call it, and keeps raising pydantic's ValidationError for the reader to translate.
    __init__.__pydantic_base_init__ = True

    @property
    def kind(self) -> str:
        """The canonical Keras class name, whichever alias the spec used."""
        return type(self).__name__

    def declared_input_shape(self) -> Shape | None:
        if self.input_shape is not None:
            return self.input_shape
        return None if self.input_dim is None else (self.input_dim,)

    def shorthand_fields(self) -> list[str]:
        return [f for f in ("input_shape", "input_dim", "dtype") if getattr(self, f) is not None]

    def default_input_dtype(self) -> str:
        return "float32"

    @field_validator("inputs")
    @classmethod
    def _named_inputs(cls, inputs):
        """A mapping names the inputs as the layer's call does: query and value, then key if given."""
        if not isinstance(inputs, dict):
            return inputs
        names = cls.input_names
        if not names:
            raise PydanticCustomError("named_inputs", "this layer's inputs have no names: list them instead",
                                      {"hint": f"write inputs: [{', '.join(inputs.values())}]"})
        unknown = [key for key in inputs if key not in names]
        given = [name for name in names if name in inputs]
        if unknown or given != list(names[:len(given)]) or len(given) < cls.min_inputs:
            required = " and ".join(names[:cls.min_inputs])
            wrong = f"'{unknown[0]}' is not one of its inputs" if unknown else f"it needs {required}"
            raise PydanticCustomError("named_inputs", "{wrong}: this layer takes {names} ({required} required)",
                                      {"names": ", ".join(names), "wrong": wrong, "required": required,
                                       "hint": "e.g. inputs: {" + ", ".join(f"{n}: ..." for n in names) + "}"})
        return inputs

    def input_list(self) -> list[str] | None:
        if isinstance(self.inputs, dict):
            return [self.inputs[name] for name in self.input_names if name in self.inputs]
        return [self.inputs] if isinstance(self.inputs, str) else self.inputs

    def references(self) -> dict[str, list[str]]:
        """The reference fields that are set, each as a list of references."""
        fields = {field: getattr(self, field) for field in self.reference_fields}
        return {field: [refs] if isinstance(refs, str) else list(refs) for field, refs in fields.items() if refs}

    def output_names(self) -> list[str]:
        """The layer's outputs, the one a bare reference reads first; several where Keras returns a list (an LSTM
        with return_state gives output, state_h and state_c)."""
        return ["output"]

    def compute_output_shapes(self, input_shape) -> list[tuple]:
        """One shape per output name; a layer with several outputs states them all."""
        return [tuple(self.compute_output_shape(input_shape))]

    def check_input_shapes(self, shapes: list) -> None:
        """Checks across all the tensors the layer reads, beyond what rule_input passes on (initial states)."""

    def rule_input(self, shapes: list):
        """What the rules below take: the one shape of a single-input layer, the list of them for a merge."""
        return shapes[0] if self.max_inputs == 1 else shapes

    # --- the rules each type states ---------------------------------------------------------
    def compute_output_shape(self, input_shape):
        """Output shape with the batch axis; one shape in for single-input layers, a list for merges."""
        return input_shape

    def weight_problem(self, weights) -> tuple[str, str] | None:
        """(weight name, what is wrong) for weight values this layer cannot compute with (they would give NaN, say);
        None when they are fine. Any backend checks weights it is given with this."""
        return None

    def weight_shapes(self, input_shape) -> dict[str, tuple[int, ...]]:
        return {}

    def macs(self, input_shape, output_shape) -> int:
        """Multiply-adds per sample."""
        return 0

    def check_files(self, base_dir) -> None:
        """Raises ShapeError when a file the layer names (a pretrained table, say) does not fit it."""

    def advise(self, input_shape) -> list[Advice]:
        """Warnings for a valid layer, given its input shape."""
        return []

    def rank_hint(self, input_shape: Shape, declare=sequential_shape) -> str | None:
        """How to reach the rank this layer wants from the shape it got. declare(shape) says how to declare the
        input with another shape where it is declared ('input_shape [28, 28, 1]'); None when a layer produces it."""
        return None

    def describe(self) -> str:
        """Key arguments for summaries and diagrams, e.g. '64 × 3×3, relu'."""
        return ""

    def primitives(self, input_shape) -> list[Primitive]:
        """The layer's inside as primitive operations with their weights, for `graphspec render --expand`;
        by default the layer as one operation."""
        return [Primitive(snake_case(self.kind), self.kind, self.weight_shapes(input_shape))]

    # --- derived ------------------------------------------------------------------------------
    def initializer_for(self, weight: str) -> str | KerasObject:
        """How a weight starts: the field <prefix>_initializer, the prefix being the weight's name unless
        `option_prefixes` says otherwise, or the weight's `fixed_initializers` entry."""
        if weight in self.fixed_initializers:
            return self.fixed_initializers[weight]
        field = self.option_field(weight, "initializer")
        if field not in type(self).model_fields:
            raise LookupError(f"{self.kind} declares no {field} for its weight {weight}")  # a graphspec bug
        return getattr(self, field)

    def option_field(self, weight: str, kind: str) -> str:
        """The field of a weight's Keras option of this kind (initializer, regularizer, constraint): <prefix>_<kind>."""
        prefix = self.option_prefixes.get(weight, weight)
        return f"{prefix}_{kind}" if prefix else kind

    def drawn_parts(self, weight: str, shape: tuple[int, ...]) -> list[tuple[int, ...]]:
        """The shapes Keras calls the weight's initializer with when it draws the weight in parts (LSTM's bias)."""
        return []

    def check_initializers(self, weights: dict[str, tuple[int, ...]]) -> None:
        """A ShapeError where Keras could not draw a weight with its initializer (identity on a 4D kernel, say), or
        a constraint's axis is not one of the weight's."""
        for weight, shape in weights.items():
            fields = self.option_field(weight, "initializer"), self.option_field(weight, "constraint")
            constraint = getattr(self, fields[1], None) if weight not in self.fixed_initializers else None
            initializer = self.initializer_for(weight)
            drawn = (shape, *self.drawn_parts(weight, shape))  # each part Keras draws on its own (LSTM's bias)
            problems = (next(filter(None, (initializer_problem(initializer, part) for part in drawn)), None),
                        constraint_problem(constraint, shape))
            for field, problem in zip(fields, problems):
                if problem:
                    raise ShapeError(f"{field} of {weight}: {problem[0]}", problem[1], Code.UNFIT_WEIGHT_OPTION, field)

    def count_params(self, input_shape) -> tuple[int, int]:
        """(trainable, non-trainable) parameter counts."""
        trainable = frozen = 0
        for weight, shape in self.weight_shapes(input_shape).items():
            if self.trainable and weight not in self.non_trainable_weights:
                trainable += math.prod(shape)
            else:
                frozen += math.prod(shape)
        return trainable, frozen


def require_known(shape: Shape, axis: int, what: str) -> int:
    """A size that a weight depends on must be known."""
    size = shape[axis]
    if not isinstance(size, int):  # None, or a named size (T): a weight's shape is fixed when the model is built
        raise ShapeError(f"{what} must be known, but the input is {format_shape(shape)}",
                         "give the input a fixed size on that axis", Code.UNKNOWN_DIMENSION)
    return size


def known_product(dims) -> int:
    """Product of the known sizes: work per sample counted per step where a size (say, the sequence length) is unknown."""
    return math.prod(d for d in dims if d is not None)


def activation_suffix(activation: str | None) -> str:
    return "" if activation in (None, "linear") else f", {activation}"
