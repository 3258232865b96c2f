"""The `training:` block read into a TrainingSpec, every problem a located diagnostic (all at once).

The loss and the optimizer are read on their own first, so that an unknown name gets "did you mean" among the
names Keras knows, and a bad argument is told against its own type's arguments (Adam's, say).
"""
from __future__ import annotations

from pydantic import TypeAdapter, ValidationError

from ..diagnostics import Code, Diagnostic, error
from ..pydantic_errors import translate
from ..schema import did_you_mean
from ..source import Document
from .options import LOSSES, OPTIMIZERS, SCHEDULES, LossOption, by_name
from .spec import TrainingSpec

KINDS = {"loss": by_name(LOSSES), "optimizer": by_name(OPTIMIZERS)}
SCHEDULE_NAMES = by_name(SCHEDULES)
LOSS_ADAPTER = TypeAdapter(LossOption)


def read_training(raw, document: Document) -> tuple[TrainingSpec | None, list[Diagnostic]]:
    path = ("training",)
    if not isinstance(raw, dict):
        return None, [error(Code.INVALID_VALUE, "training: is a mapping like {loss: mse, optimizer: adam}", None,
                            **document.where(path))]
    diagnostics = [d for key in KINDS if key in raw for d in _option_diagnostics(raw[key], key, document)]
    told = {key for key in KINDS if key in raw} if diagnostics else set()
    try:
        spec = TrainingSpec.model_validate(raw)
    except ValidationError as exc:
        diagnostics += [translate(err, path, TrainingSpec, document) for err in exc.errors() if err["loc"][0] not in told]
        return _loss_only(raw), diagnostics
    return spec, diagnostics


def _loss_only(raw: dict) -> TrainingSpec | None:
    """A block with errors elsewhere keeps its loss, when that is valid, so the loss is still checked against the
    model (every independent problem at once); the spec has errors, so nothing trains from it."""
    try:
        return TrainingSpec.model_construct(loss=LOSS_ADAPTER.validate_python(raw.get("loss")))
    except ValidationError:
        return None


def primary(names: dict) -> list[str]:
    """Each type's first name (Keras's string form: adam, not Adam), for hints."""
    return list({cls: name for name, cls in reversed(names.items())}.values())[::-1]


def _option_diagnostics(value, key: str, document: Document) -> list[Diagnostic]:
    path, names = ("training", key), KINDS[key]
    fields = {"type": value} if isinstance(value, str) else value
    if not isinstance(fields, dict) or not isinstance(fields.get("type"), str):
        return [error(Code.INVALID_VALUE, f"{key}: a Keras {key} name, or a mapping {{type: name, ...}}, got "
                      f"{value!r}", f"e.g. {key}: {next(iter(names))}", **document.where(path))]
    kind = fields["type"]
    if kind not in names:
        where = document.where(path if isinstance(value, str) else (*path, "type"))
        return [error(Code.TRAINING_UNKNOWN, f"{key}: unknown {key} '{kind}'",
                      did_you_mean(kind, primary(names)) or f"known: {', '.join(primary(names))}", **where)]
    schedule = fields.get("learning_rate")
    if isinstance(schedule, dict) and schedule.get("type") not in SCHEDULE_NAMES:
        return [error(Code.TRAINING_UNKNOWN, f"learning_rate: unknown schedule {schedule.get('type')!r}",
                      did_you_mean(str(schedule.get("type")), primary(SCHEDULE_NAMES))
                      or f"known: {', '.join(primary(SCHEDULE_NAMES))}",
                      **document.where((*path, "learning_rate")))]
    try:
        names[kind].model_validate(fields)
    except ValidationError as exc:
        return [translate(err, path, names[kind], document) for err in exc.errors()]
    return []
