"""What TimeDistributed and Bidirectional share: layer specs nested in a field, read with the same layer union as
the spec's own layers (so a nested layer gets "did you mean" and its own line and column), and the rules of the
wrapped layers run with their errors pointing inside the nested mapping.

A wrapper's weights are its wrapped layers', each under the prefix Keras's variable paths give it
(Bidirectional's `forward_` and `backward_`; none for TimeDistributed, whose weights are its layer's).
"""

from typing import TYPE_CHECKING, ClassVar

from .base import Advice, Layer, ShapeError
from .primitives import INPUT, Primitive
from ..diagnostics import Code

if TYPE_CHECKING:
    # A nested layer field's type: the discriminated union of every layer type, which exists only once all are
    # registered, as a wrapper can wrap any of them (itself included); resolve_nested_layers fills it in.
    NestedLayer = Layer



def resolve_nested_layers(types: list[type[Layer]]) -> None:
    """Gives every wrapper's nested fields the layer union; called by the package once every type is registered.
    The union is put where pydantic looks up a deferred annotation, the wrapper's module, rather than rebuilt now:
    building it builds every layer type's validator, most of a second that a spec without wrappers never needs."""
    import sys
    from typing import Annotated, Union

    from pydantic import Field

    union = Annotated[Union[tuple(types)], Field(discriminator="type")]  # noqa: UP007 - a runtime-built union
    for cls in types:
        if issubclass(cls, Wrapper):
            vars(sys.modules[cls.__module__])["NestedLayer"] = union


def field_path(field) -> tuple:
    """A ShapeError's or Advice's field as a path: None, one field name, or a path into a nested layer."""
    return () if field is None else tuple(field) if isinstance(field, tuple) else (field,)


def nested_primitives(ops: list[Primitive], prefix: str, entry: str, weights: str = "", title: str = "") \
        -> list[Primitive]:
    """A wrapped layer's primitives renamed under `prefix`, reading `entry` where they read the layer's input, their
    weights under the wrapper's names for them (`weights` + name), the first one's label after `title`."""
    def renamed(name: str) -> str:
        return entry if name == INPUT else prefix + name

    first = [] if not ops or ops[0].consumes else [entry]  # the first op read the input implicitly
    return [Primitive(prefix + op.name, f"{title}{op.label}" if i == 0 else op.label,
                      {weights + w: s for w, s in op.weights.items()},
                      tuple(renamed(n) for n in op.consumes) or (tuple(first) if i == 0 else ()), op.note)
            for i, op in enumerate(ops)]


class Wrapper(Layer):
    """A layer that runs other layers given as nested specs (`layer: {type: Dense, units: 8}`)."""

    nested_fields: ClassVar[tuple[str, ...]] = ("layer",)  # the fields that hold nested layer specs

    def wrapped(self) -> dict[str, tuple[str, Layer]]:
        """Weight-name prefix -> (the field the layer is written in, the layer): the layers this one runs."""
        return {"": ("layer", self.layer)}

    def inner_input(self, input_shape):
        """The input shape each wrapped layer's rules take."""
        return input_shape

    # --- the wrapped layers' rules, their errors pointing at the nested field ---------------------
    def run_inner(self, field: str, layer: Layer, rule, *args):
        """`rule(*args)` of a wrapped layer; a ShapeError it raises points into `field` and names the layer."""
        try:
            return rule(*args)
        except ShapeError as exc:
            raise ShapeError(f"{layer.kind} in {self.kind}'s {field}: {exc.message}", exc.hint, exc.code,
                             (field, *field_path(exc.field))) from None

    def check_wrapped(self, input_shape) -> dict[str, tuple]:
        """Each wrapped layer's output shape, once its wiring fields and rank are checked, by prefix."""
        outputs = {}
        for prefix, (field, layer) in self.wrapped().items():
            # A wrapped layer is wired and fed through its wrapper: its inputs and the shorthand that declares the
            # model's input (input_shape, input_dim but Embedding's, dtype) belong there.
            wiring = ("inputs", *layer.reference_fields, *layer.shorthand_fields())
            stray = next((f for f in wiring if getattr(layer, f) is not None), None)
            if stray is not None:
                raise ShapeError(f"{field}: a nested layer takes no {stray}; the {self.kind} feeds its {layer.kind}",
                                 f"move {stray} up to the {self.kind}", Code.WRAPPED_FIELD,
                                 (field, stray))
            if layer.max_inputs != 1:
                raise ShapeError(f"{self.kind} wraps a layer of one input, and {layer.kind} takes several",
                                 f"apply {layer.kind} outside the {self.kind}", Code.WRAPPED_TYPE, (field, "type"))
            shape = self.inner_input(input_shape)
            self._check_inner_rank(field, layer, shape)
            outputs[prefix] = tuple(self.run_inner(field, layer, layer.compute_output_shape, shape))
        return outputs

    def _check_inner_rank(self, field: str, layer: Layer, shape: tuple) -> None:
        low, high = layer.min_rank, layer.max_rank
        if len(shape) >= low and (high is None or len(shape) <= high):
            return
        want = f"rank {low}" if low == high else f"rank {low} or more" if high is None else f"rank {low} to {high}"
        raise ShapeError(f"{self.kind} gives its {layer.kind} {self.fed(shape)}, of rank {len(shape)}, but "
                         f"{layer.kind} needs {want} {layer.axes}", self.rank_advice(layer, low), Code.RANK,
                         (field, "type"))

    def fed(self, shape) -> str:
        from ..types import format_shape
        return format_shape(shape)

    def rank_advice(self, layer: Layer, rank: int) -> str | None:
        return None

    # --- weights: the wrapped layers', under their prefixes -----------------------------------------
    def owner(self, weight: str) -> tuple[Layer, str]:
        """The wrapped layer a weight belongs to, and its name there."""
        for prefix, (_, layer) in sorted(self.wrapped().items(), key=lambda item: -len(item[0])):
            if weight.startswith(prefix):
                return layer, weight[len(prefix):]
        raise LookupError(f"{self.kind} has no weight {weight}")  # a graphspec bug

    def weight_shapes(self, input_shape):
        shape = self.inner_input(input_shape)
        return {prefix + w: s for prefix, (_, layer) in self.wrapped().items()
                for w, s in layer.weight_shapes(shape).items()}

    def count_params(self, input_shape):
        """The wrapped layers' counts; all frozen when the wrapper is (Keras freezes what a frozen layer holds)."""
        counts = [layer.count_params(self.inner_input(input_shape)) for _, layer in self.wrapped().values()]
        trainable, frozen = sum(c[0] for c in counts), sum(c[1] for c in counts)
        return (trainable, frozen) if self.trainable else (0, trainable + frozen)

    def initializer_for(self, weight):
        layer, name = self.owner(weight)
        return layer.initializer_for(name)

    def option_field(self, weight, kind):
        layer, name = self.owner(weight)
        return layer.option_field(name, kind)

    def check_initializers(self, weights):
        for prefix, (field, layer) in self.wrapped().items():
            own = {w[len(prefix):]: s for w, s in weights.items() if self.owner(w)[0] is layer}
            self.run_inner(field, layer, layer.check_initializers, own)

    def weight_problem(self, weights):
        for prefix, (_, layer) in self.wrapped().items():
            problem = layer.weight_problem({w[len(prefix):]: a for w, a in weights.items() if self.owner(w)[0] is layer})
            if problem:
                return prefix + problem[0], problem[1]
        return None

    def check_files(self, base_dir):
        for field, layer in self.wrapped().values():
            self.run_inner(field, layer, layer.check_files, base_dir)

    def advise(self, input_shape):
        """The wrapped layers' warnings (a softmax over one value inside too), pointing into their fields."""
        from ..advice import keras_computes_otherwise, softmax_of_one  # the advice module reads layer types

        shape, notes = self.inner_input(input_shape), []
        for field, layer in self.wrapped().values():
            output = layer.compute_output_shape(shape)
            about = "activation" if hasattr(layer, "activation") else None
            found = [*layer.advise(shape), *(Advice(*note, field=about) for note in
                                             softmax_of_one(layer, output) + keras_computes_otherwise(layer))]
            notes += [Advice(a.code, f"{layer.kind} in {self.kind}'s {field}: {a.message}", a.hint,
                             (field, *field_path(a.field))) for a in found]
        return notes
