"""Keras 1 and Keras 2 Theano weights are converted as Keras 2's loader converted them: the HDF5 files in
tests/fixtures/keras/legacy are written in Keras 1's layout by make_legacy_fixtures.py, and Keras 3 computed the
outputs from the weights that conversion gives."""
from pathlib import Path

import numpy as np
import pytest

import graphspec
from graphspec.keras import from_keras
from graphspec.keras.families import mapping_for
from graphspec.keras.importer import import_file

LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "keras" / "legacy"
FIXTURES = sorted(LEGACY.glob("*.h5"))
pytest.importorskip("h5py")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_old_weights_compute_what_keras_computes_from_them(path):
    spec, weights = from_keras(path)
    model = graphspec.compile(graphspec.check(spec))
    model.set_weights(weights)
    data = np.load(path.with_suffix(".npz"))
    np.testing.assert_allclose(model(data["inputs/x"]), data["outputs/y"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_old_weights_are_converted_bit_for_bit(path):
    _, weights = from_keras(path)
    data = np.load(path.with_suffix(".npz"))
    for index, layer in enumerate(weights):
        expected = [data[f"weights/{index}/{j}"] for j in range(len(weights[layer]))]
        assert all(np.array_equal(ours, theirs) for ours, theirs in zip(weights[layer].values(), expected)), layer
    assert not import_file(path).diagnostics


def test_a_keras1_file_says_its_kernels_are_read_unflipped():
    notes = import_file(LEGACY / "keras1_conv1d.h5").notes
    assert any(note.startswith("Keras 1 kernel read as TensorFlow's") and "convolution1d_1, convolution1d_2" in note
               for note in notes)
    assert not any("Keras 1 kernel" in note for note in import_file(LEGACY / "keras2_theano_conv2d.h5").notes)


def test_keras1_deconvolution_and_conv3d_kernels_move_as_keras2_moved_them():
    th = np.arange(2 * 3 * 4 * 5, dtype="float32").reshape(2, 3, 4, 5)  # (filters, in, rows, cols)
    deconv = mapping_for("Deconvolution2D").keras1_weights
    (kernel,) = deconv([th], {"dim_ordering": "th"})
    assert kernel.shape == (4, 5, 2, 3) and kernel[3, 4, 1, 2] == th[1, 2, 3, 4]
    (kernel,) = deconv([th], {"dim_ordering": "tf"})  # (rows, cols, in, filters) -> (rows, cols, filters, in)
    assert kernel.shape == (2, 3, 5, 4) and kernel[1, 2, 4, 3] == th[1, 2, 3, 4]
    volume = np.arange(2 * 3 * 4 * 5 * 6, dtype="float32").reshape(2, 3, 4, 5, 6)
    (kernel,) = mapping_for("Convolution3D").keras1_weights([volume], {"dim_ordering": "th"})
    assert kernel.shape == (4, 5, 6, 3, 2) and kernel[3, 4, 5, 2, 1] == volume[1, 2, 3, 4, 5]


def test_a_keras1_lstm_of_another_count_of_arrays_is_left_to_the_shape_check():
    arrays = [np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8)]
    assert mapping_for("LSTM").keras1_weights(arrays, {}) is arrays
