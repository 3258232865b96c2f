"""The initialisers, regularisers and constraints Keras 3.15 knows, with each class's config arguments.

Names are what `keras.initializers.get` (and the regularizers' and constraints' `get`) accept: each class name,
its snake_case form, and the initialisers' aliases (keras/src/initializers/__init__.py ALL_OBJECTS_DICT). Names
are case-sensitive there, so `GlorotUniform` and `glorot_uniform` work and `Glorot_Uniform` does not.
"""

import math
from functools import cache
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt
from pydantic_core import PydanticCustomError

from .naming import snake_case


def _number(value: Any) -> Any:
    """An int or a float, finite: Keras computes with it (a string or true would fail later, or mean something else)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("number", "should be a number")
    if not math.isfinite(value):
        raise PydanticCustomError("number", "should be a finite number")
    return value


def _distribution(value: Any) -> Any:
    """Keras lower-cases the distribution and reads 'normal' as 'truncated_normal'."""
    value = value.lower() if isinstance(value, str) else value
    return "truncated_normal" if value == "normal" else value


def _numbers(value: Any) -> Any:
    """Constant's value: a number, or an array written as nested lists of numbers (Keras broadcasts it to the
    weight's shape: value * ones(shape))."""
    if not isinstance(value, list):
        return _number(value)
    items = [_numbers(item) for item in value]
    if not items:
        raise PydanticCustomError("number", "should be a number or a non-empty array of numbers")
    if len({str(np.shape(item)) for item in items}) > 1:
        raise PydanticCustomError("number", "the nested lists must form an array: rows of equal length")
    return items


Number = Annotated[float, BeforeValidator(_number)]
NonNegative = Annotated[float, BeforeValidator(_number), Field(ge=0)]
Seed = Annotated[int, Field(strict=True, ge=0)]  # NumPy seeds are non-negative
Axis = StrictInt | list[StrictInt]


class Config(BaseModel):
    """A class's constructor arguments, with Keras's defaults; an argument Keras does not take is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def problem(self) -> tuple[str, str, str] | None:
        """(argument, what it must be, hint) for arguments each valid alone that nothing can be drawn from."""
        return None


# Keras 3.15 passes these to its backend unchecked, and its backends disagree (tried on each).
_STDDEV = ("a standard deviation is never negative: Keras passes it on unchecked (JAX draws as from -stddev, NumPy "
           "refuses)")
_BOUNDS = ("is the {} bound: Keras passes them on unchecked (JAX returns minval, torch draws between them, NumPy "
           "refuses)")


class Seeded(Config):
    seed: Seed | None = Field(None, description="Draws this weight the same way whatever the model's seed.")


class Fans(Seeded):
    """input_axes and output_axes (both, or Keras ignores them) say which axes count into fan_in and fan_out."""

    input_axes: list[StrictInt] | None = None
    output_axes: list[StrictInt] | None = None


class Constant(Config):
    value: Annotated[float | list, BeforeValidator(_numbers)] = 0.0


class Gain(Config):
    gain: Number = 1.0


class Orthogonal(Seeded):
    gain: Number = 1.0


class Normal(Seeded):
    mean: Number = 0.0
    stddev: Number = 0.05

    def problem(self):
        if self.stddev < 0:
            return "stddev", "must be >= 0", _STDDEV
        return None


class Uniform(Seeded):
    minval: Number = -0.05
    maxval: Number = 0.05

    def problem(self):
        if self.maxval >= self.minval:
            return None
        if "maxval" not in self.model_fields_set:  # point at what was written
            return "minval", f"must be <= maxval ({self.maxval:g})", "minval " + _BOUNDS.format("lower")
        return "maxval", f"must be >= minval ({self.minval:g})", "maxval " + _BOUNDS.format("upper")


class VarianceScaling(Fans):
    scale: Annotated[float, BeforeValidator(_number), Field(gt=0)] = 1.0
    mode: Literal["fan_in", "fan_out", "fan_avg"] = "fan_in"
    distribution: Annotated[Literal["truncated_normal", "untruncated_normal", "uniform"],
                            BeforeValidator(_distribution)] = "truncated_normal"


class L1(Config):
    l1: NonNegative = 0.01


class L2(Config):
    l2: NonNegative = 0.01


class L1L2(Config):
    l1: NonNegative = 0.0
    l2: NonNegative = 0.0


class OrthogonalRegularizer(Config):
    factor: NonNegative = 0.01
    mode: Literal["rows", "columns"] = "rows"


class MaxNorm(Config):
    max_value: Number = 2
    axis: Axis = 0


class MinMaxNorm(Config):
    min_value: Number = 0.0
    max_value: Number = 1.0
    rate: Number = 1.0
    axis: Axis = 0


class UnitNorm(Config):
    axis: Axis = 0


# Glorot, He and LeCun are VarianceScaling with fixed scale, mode and distribution (random_initializers.py).
VARIANCE_SCALING = {
    "GlorotUniform": (1.0, "fan_avg", "uniform"), "GlorotNormal": (1.0, "fan_avg", "truncated_normal"),
    "HeUniform": (2.0, "fan_in", "uniform"), "HeNormal": (2.0, "fan_in", "truncated_normal"),
    "LecunUniform": (1.0, "fan_in", "uniform"), "LecunNormal": (1.0, "fan_in", "truncated_normal"),
}
# Keras class name -> its config, by kind. Keras's bases Regularizer (no penalty) and Constraint (no change) work
# as names too; its base Initializer cannot draw, so it is left out like STFT (see REFUSED).
CLASSES: dict[str, dict[str, type[Config]]] = {
    "initializer": {"Zeros": Config, "Ones": Config, "Constant": Constant, "Identity": Gain, "Orthogonal": Orthogonal,
                    "RandomNormal": Normal, "TruncatedNormal": Normal, "RandomUniform": Uniform,
                    "VarianceScaling": VarianceScaling} | dict.fromkeys(VARIANCE_SCALING, Fans),
    "regularizer": {"L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer,
                    "Regularizer": Config},
    "constraint": {"MaxNorm": MaxNorm, "MinMaxNorm": MinMaxNorm, "NonNeg": Config, "UnitNorm": UnitNorm,
                   "Constraint": Config},
}
_ALIASES = {"initializer": {"IdentityInitializer": "Identity", "OrthogonalInitializer": "Orthogonal",
                            "normal": "RandomNormal", "uniform": "RandomUniform", "one": "Ones", "zero": "Zeros"}}
# Names Keras knows that graphspec does not draw, and why.
REFUSED = {"initializer": dict.fromkeys(
    ("STFT", "stft", "STFTInitializer"), "it is Keras's initializer for the kernels of STFTSpectrogram, a layer "
    "graphspec does not have") | dict.fromkeys(("Initializer", "initializer"), "it is Keras's abstract base class, "
                                                                            "which draws nothing")}


@cache
@cache  # asked for each weight of each layer; read-only
def names(kind: str) -> dict[str, str]:
    """Every name Keras accepts for a kind -> its class name. snake_case is Keras's own rule (to_snake_case)."""
    table = {alias: cls for cls in CLASSES[kind] for alias in (cls, snake_case(cls))}
    return table | _ALIASES.get(kind, {})
