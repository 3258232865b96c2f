"""Training for the NumPy backend: the plan's forward and backward, losses, metrics, optimisers, fit."""
from .callbacks import EarlyStopping
from .fit import History, fit
from .plan import TrainingPlan
from .registry import LOSSES, METRICS, OPTIMIZERS, SCHEDULES
from .trainer import Trainer, TrainingError

__all__ = ["EarlyStopping", "History", "LOSSES", "METRICS", "OPTIMIZERS", "SCHEDULES", "Trainer", "TrainingError",
           "TrainingPlan", "fit"]
