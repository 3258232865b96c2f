"""The spec's `training:` block: what `graphspec train` (and fit) runs, checked by `graphspec check`."""
from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, StrictBool

from .options import METRIC_NAMES, LossOption, OptimizerOption


class TrainingSpec(BaseModel):
    """Keras's compile() and fit() arguments: loss, optimizer, metrics, weighted_metrics, then epochs, batch_size, shuffle,
    validation_split; seed makes the shuffling and the dropout masks reproducible."""

    kind_name: ClassVar[str] = "training"
    model_config = ConfigDict(extra="forbid", frozen=True)
    loss: LossOption = Field(description="A Keras loss name, or {type: name, argument: value...}.")
    optimizer: OptimizerOption = Field("rmsprop", description="A Keras optimizer name, or {type: name, ...}; "
                                                              "Keras's default is rmsprop.")
    metrics: list[Literal[METRIC_NAMES]] = Field(default_factory=list)
    weighted_metrics: list[Literal[METRIC_NAMES]] = Field(
        default_factory=list, description="Metrics weighed by the data's sample_weight, as Keras's; `metrics` are not.")
    epochs: PositiveInt = 1
    batch_size: PositiveInt = 32
    shuffle: StrictBool = True
    validation_split: Annotated[float, Field(ge=0, lt=1)] = 0.0
    seed: int = 0
