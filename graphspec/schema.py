"""The spec format (version 1) as pydantic models, and the reading of a parsed document into them.

Every problem becomes a diagnostic located in the text. A layer that fails validation is kept as an
`InvalidLayer` so the rest of the graph is still wired and checked: all problems are reported at once.
"""
from __future__ import annotations

import difflib
import re
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter

from .diagnostics import Diagnostic
from .layers import Layer, layer_types
from .named_shape import NamedShape
from .source import Document
from .training.spec import TrainingSpec
from .types import DType

FORMAT_VERSION = 1
LayerSpec = Annotated[Union[tuple(layer_types())], Field(discriminator="type")]  # noqa: UP007


class InputSpec(BaseModel):
    kind_name: ClassVar[str] = "an input"  # how diagnostics name it
    """One model input: its shape without the batch dimension, and its dtype."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    shape: NamedShape = Field(description="The shape without the batch; a size may be a name the data fixes (T).")
    dtype: DType = "float32"


class Spec(BaseModel):
    """A whole spec file. Build one in Python with layer objects: `Spec(layers=[Dense(units=10, input_dim=4)])`."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    graphspec: Literal[1] = Field(FORMAT_VERSION, description="Format version; must be 1.")
    name: str = "model"
    inputs: dict[str, InputSpec] | None = Field(None, description="Named inputs; optional with the sequential shorthand.")
    layers: list[LayerSpec] = Field(min_length=1)
    outputs: str | list[str] | None = Field(None, description="Output layer name(s); default: the last layer.")
    training: TrainingSpec | None = Field(None, description="What `graphspec train` runs: loss, optimizer, metrics, "
                                                            "epochs, batch_size...")
    _document: Document | None = PrivateAttr(None)
    _diagnostics: list[Diagnostic] = PrivateAttr(default_factory=list)
    _invalid_inputs: list[str] = PrivateAttr(default_factory=list)

    @property
    def document(self) -> Document | None:
        return self._document

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Problems found while reading the file, before any wiring or shape check."""
        return list(self._diagnostics)

    @property
    def invalid_inputs(self) -> list[str]:
        """Inputs declared in the file whose declaration failed validation."""
        return list(self._invalid_inputs)

    def output_names(self) -> list[str] | None:
        return [self.outputs] if isinstance(self.outputs, str) else self.outputs


class InvalidLayer(Layer):
    """Stands in for a layer whose fields failed validation; its output is unknown, its dependants are skipped."""

    type: str = "?"

    @property
    def kind(self) -> str:
        return self.type


_HEAD = {name: TypeAdapter(Spec.model_fields[name].annotation) for name in ("name", "outputs")}
INPUT_ADAPTER = TypeAdapter(InputSpec)


def closest(word: str, options) -> str | None:
    options = list(options)
    folded = {option.lower(): option for option in options}
    match = difflib.get_close_matches(word.lower(), folded, n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def did_you_mean(word: str, options) -> str | None:
    match = closest(word, options)
    return f"did you mean '{match}'?" if match else None


def names_another(word: str, candidate: str) -> bool:
    """Whether `candidate`, though spelt like `word`, is another name rather than its correct spelling: one is the
    other plus a whole word part (hard_swish and swish, relu6 and relu, log_softmax and softmax), or a part of
    one stands where another word stands in the other (super_sigmoid and hard_sigmoid). swishy and swish, or
    leakyrelu and leaky_relu, stay a misspelling."""
    a, b = (re.sub(r"[\W_]", "", name.lower()) for name in (word, candidate))
    if a == b:
        return False
    short, long = sorted((a, b), key=len)
    rest = long.replace(short, "", 1) if short in long else None
    if rest is not None and (len(rest) >= 2 or rest.isdigit()):
        return True
    parts = [re.findall(r"[a-z]+|\d+", name.lower()) for name in (word, candidate)]
    return len(parts[0]) == len(parts[1]) > 1 and any(
        difflib.SequenceMatcher(None, x, y).ratio() < 0.6 for x, y in zip(*parts))
