"""The running means of fit's logs: the loss weighed by batch size, a metric by sample or by unmasked position."""
import numpy as np

from graphspec_backends.numpy.training.metrics import SparseCategoricalAccuracy
from graphspec_backends.numpy.training.tally import Tally, batch_tally

PREDICTION = np.eye(3)[[[0, 1, 2], [2, 2, 2]]]  # (2 samples, 3 steps, 3 classes)
LABELS = np.array([[0, 1, 0], [2, 0, 0]])


def test_a_masked_metric_counts_unmasked_steps_across_batches():
    tally = Tally()
    tally.merge(batch_tally(0.5, [(SparseCategoricalAccuracy(), False)], LABELS, PREDICTION,
                            np.array([[True, True, True], [True, False, False]])))  # 3 right of 4
    tally.merge(batch_tally(2.0, [(SparseCategoricalAccuracy(), False)], LABELS[:1], PREDICTION[:1],
                            np.array([[True, False, False]])))  # 1 right of 1
    assert tally.means() == {"loss": (0.5 * 2 + 2.0) / 3, "sparse_categorical_accuracy": 4 / 5}


def test_without_a_mask_each_sample_weighs_its_mean():
    means = batch_tally(1.0, [(SparseCategoricalAccuracy(), False)], LABELS, PREDICTION, None).means()
    assert means == {"loss": 1.0, "sparse_categorical_accuracy": (2 / 3 + 1 / 3) / 2}


def test_every_step_masked_gives_zero_as_keras_divide_no_nan():
    mask = np.zeros((2, 3), bool)
    assert batch_tally(0.0, [(SparseCategoricalAccuracy(), False)], LABELS, PREDICTION, mask).means() == {
        "loss": 0.0, "sparse_categorical_accuracy": 0.0}
