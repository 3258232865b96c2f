"""The losses, optimisers, learning-rate schedules and metrics a `training:` block may name: Keras 3's names,
arguments and defaults, as pydantic models (so the JSON Schema and "did you mean" come as for layers).

A name alone (`optimizer: adam`) is that type with Keras's defaults. Backends read `model_dump()` and find their
implementation by the same name.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, NonNegativeFloat, PositiveFloat, PositiveInt, \
    StrictBool

Fraction = Annotated[float, Field(ge=0, le=1)]


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: str

    def config(self) -> dict:
        """The mapping a backend's registry takes: the type and the arguments the spec set."""
        fields = self.model_dump(exclude_unset=True, exclude_defaults=False)
        return {"type": self.type, **{k: v.config() if isinstance(v, Option) else v
                                       for k, v in ((k, getattr(self, k)) for k in fields) if k != "type"}}


# --- learning-rate schedules (keras.optimizers.schedules) ---------------------------------------------------------
class ExponentialDecay(Option):
    type: Literal["ExponentialDecay", "exponential_decay"]
    initial_learning_rate: PositiveFloat
    decay_steps: PositiveInt
    decay_rate: PositiveFloat
    staircase: StrictBool = False


class CosineDecay(Option):
    type: Literal["CosineDecay", "cosine_decay"]
    initial_learning_rate: PositiveFloat
    decay_steps: PositiveInt
    alpha: Fraction = 0.0
    warmup_target: PositiveFloat | None = None
    warmup_steps: Annotated[int, Field(ge=0)] = 0


SCHEDULES = (ExponentialDecay, CosineDecay)
Schedule = Annotated[Union[SCHEDULES], Field(discriminator="type")]  # noqa: UP007


# --- optimisers (keras.optimizers) --------------------------------------------------------------------------------
class Optimizer(Option):
    learning_rate: PositiveFloat | Schedule = 0.001
    weight_decay: NonNegativeFloat | None = None
    clipnorm: PositiveFloat | None = None
    clipvalue: PositiveFloat | None = None
    global_clipnorm: PositiveFloat | None = None


class SGD(Optimizer):
    type: Literal["sgd", "SGD"]
    learning_rate: PositiveFloat | Schedule = 0.01
    momentum: Fraction = 0.0
    nesterov: StrictBool = False


class Adam(Optimizer):
    type: Literal["adam", "Adam"]
    beta_1: Fraction = 0.9
    beta_2: Fraction = 0.999
    epsilon: PositiveFloat = 1e-7
    amsgrad: StrictBool = False


class AdamW(Adam):
    type: Literal["adamw", "AdamW"]
    weight_decay: NonNegativeFloat = 0.004


class RMSprop(Optimizer):
    type: Literal["rmsprop", "RMSprop"]
    rho: Fraction = 0.9
    momentum: Fraction = 0.0
    epsilon: PositiveFloat = 1e-7
    centered: StrictBool = False


class Adagrad(Optimizer):
    type: Literal["adagrad", "Adagrad"]
    initial_accumulator_value: NonNegativeFloat = 0.1
    epsilon: PositiveFloat = 1e-7


OPTIMIZERS = (SGD, Adam, AdamW, RMSprop, Adagrad)


# --- losses (keras.losses) ----------------------------------------------------------------------------------------
class MeanSquaredError(Option):
    type: Literal["mean_squared_error", "mse", "MeanSquaredError"]


class MeanAbsoluteError(Option):
    type: Literal["mean_absolute_error", "mae", "MeanAbsoluteError"]


class Huber(Option):
    type: Literal["huber", "Huber"]
    delta: PositiveFloat = 1.0


class BinaryCrossentropy(Option):
    type: Literal["binary_crossentropy", "BinaryCrossentropy"]
    from_logits: StrictBool = False
    label_smoothing: Fraction = 0.0


class CategoricalCrossentropy(Option):
    type: Literal["categorical_crossentropy", "CategoricalCrossentropy"]
    from_logits: StrictBool = False
    label_smoothing: Fraction = 0.0


class SparseCategoricalCrossentropy(Option):
    type: Literal["sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"]
    from_logits: StrictBool = False


LOSSES = (MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy, CategoricalCrossentropy,
          SparseCategoricalCrossentropy)

METRIC_NAMES = ("accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
                "mean_absolute_error", "mae", "mean_squared_error", "mse")


def by_name(classes) -> dict[str, type[Option]]:
    """Every accepted type name -> its class."""
    return {name: cls for cls in classes for name in cls.model_fields["type"].annotation.__args__}


def _named(value: Any) -> Any:
    return {"type": value} if isinstance(value, str) else value


class NameOrMapping:
    """The JSON Schema of an option written as its name or as {type: name, ...}: _named takes both."""

    def __init__(self, classes):
        self.names = sorted(by_name(classes))

    def __get_pydantic_json_schema__(self, core_schema, handler):
        return {"anyOf": [{"enum": self.names}, handler(core_schema)]}


LossOption = Annotated[Union[LOSSES], Field(discriminator="type"), BeforeValidator(_named),  # noqa: UP007
                       NameOrMapping(LOSSES)]
OptimizerOption = Annotated[Union[OPTIMIZERS], Field(discriminator="type"), BeforeValidator(_named),  # noqa: UP007
                            NameOrMapping(OPTIMIZERS)]
