"""Labels for a variable-length output (shape (None, None, 3)): any length the spec leaves open is accepted, and
a length the run's output disagrees with is a RunError naming both shapes."""
import numpy as np
import pytest

from graphspec.diagnostics import RunError
from support import build

RNG = np.random.default_rng(2)
X = RNG.standard_normal((6, 4, 2)).astype("float32")


def tagger():
    model, _ = build([{"type": "GRU", "name": "steps", "units": 3, "return_sequences": True},
                      {"type": "Dense", "name": "probs", "units": 3, "activation": "softmax"}],
                     {"x": {"shape": [None, 2]}})
    return model.compile_training(loss="sparse_categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])


def test_class_ids_per_step_of_a_variable_length_output_train():
    logs = tagger().train_on_batch(X, RNG.integers(0, 3, (6, 4)))
    assert sorted(logs) == ["accuracy", "loss"] and np.isfinite(logs["loss"])


@pytest.mark.parametrize("call", ["fit", "evaluate"])
def test_labels_of_another_length_than_the_output_are_refused(call):
    with pytest.raises(RunError, match=r"y has shape \(6, 5\), but the model's output for these inputs is "
                                       r"\(None, 4, 3\): give a label for each of its steps"):
        getattr(tagger(), call)(X, RNG.integers(0, 3, (6, 5)), **({"progress": False} if call == "fit" else {}))
