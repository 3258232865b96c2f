"""`graphspec train`: weights, history and checkpoint written; --resume reaches the uninterrupted run's weights;
data that does not fit gets one line; a spec without a training block is told how to add one."""
import csv

import numpy as np

from graphspec.cli import main

SPEC = """
graphspec: 1
name: tiny
inputs: {ids: {shape: [6], dtype: int32}}
layers:
  - {type: Embedding, input_dim: 20, output_dim: 4}
  - {type: GlobalAveragePooling1D}
  - {type: Dropout, rate: 0.2}
  - {type: Dense, units: 3, activation: softmax}
training:
  loss: sparse_categorical_crossentropy
  optimizer: {type: adam, learning_rate: 0.05}
  metrics: [accuracy]
  epochs: 4
  batch_size: 8
"""


def data(tmp_path, name="train.npz", labels=None):
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 20, (32, 6)).astype("int32")
    np.savez(tmp_path / name, x=ids, y=ids[:, 0] % 3 if labels is None else labels)
    return str(tmp_path / name)


def test_train_writes_weights_history_and_checkpoint(write, tmp_path):
    spec, train = write(SPEC), data(tmp_path)
    assert main(["train", str(spec), "--data", train, "--val-split", "0.25", "-o", str(tmp_path / "w.npz"),
                 "--no-progress"]) == 0
    rows = list(csv.DictReader((tmp_path / "w.history.csv").open()))
    assert [r["epoch"] for r in rows] == ["1", "2", "3", "4"] and {"loss", "accuracy", "val_loss"} <= set(rows[0])
    assert (tmp_path / "w.checkpoint.npz").exists() and np.load(tmp_path / "w.npz").files


def test_resume_reaches_the_uninterrupted_weights(write, tmp_path):
    spec, train = str(write(SPEC)), data(tmp_path)
    assert main(["train", spec, "--data", train, "-o", str(tmp_path / "full.npz"), "--no-progress"]) == 0
    assert main(["train", spec, "--data", train, "--epochs", "2", "-o", str(tmp_path / "part.npz"),
                 "--no-progress"]) == 0
    assert main(["train", spec, "--data", train, "--resume", "-o", str(tmp_path / "part.npz"), "--no-progress"]) == 0
    full, part = np.load(tmp_path / "full.npz"), np.load(tmp_path / "part.npz")
    assert all(np.array_equal(full[k], part[k]) for k in full.files)
    assert len(list(csv.DictReader((tmp_path / "part.history.csv").open()))) == 4


def test_labels_out_of_range_are_one_line(write, tmp_path, capsys):
    labels = np.zeros(32, "int64")
    labels[5] = 9
    code = main(["train", str(write(SPEC)), "--data", data(tmp_path, labels=labels), "-o", str(tmp_path / "w.npz")])
    message = capsys.readouterr().err.strip()
    assert code == 2 and "class id 9 at position (5,)" in message and "\n" not in message
    assert not (tmp_path / "w.npz").exists()


def test_a_spec_without_training_block(write, tmp_path, capsys):
    spec = write(SPEC.split("training:")[0])
    assert main(["train", str(spec), "--data", data(tmp_path), "-o", str(tmp_path / "w.npz")]) == 2
    assert "has no training: block" in capsys.readouterr().err


def test_sample_weights_in_the_data_weigh_the_loss_and_the_weighted_metrics(write, tmp_path):
    ids = np.random.default_rng(0).integers(0, 20, (32, 6)).astype("int32")
    weights = np.zeros(32)
    np.savez(tmp_path / "train.npz", x=ids, y=ids[:, 0] % 3, sample_weight=weights)
    spec = write(SPEC.replace("metrics: [accuracy]", "metrics: [accuracy]\n  weighted_metrics: [accuracy]"))
    assert main(["train", str(spec), "--data", str(tmp_path / "train.npz"), "--weights", str(start(tmp_path, spec)),
                 "-o", str(tmp_path / "w.npz"), "--no-progress"]) == 0
    rows = list(csv.DictReader((tmp_path / "w.history.csv").open()))
    # every sample weighs 0: no loss, no weighted accuracy (Keras's divide_no_nan), and nothing learnt
    assert {(r["loss"], r["weighted_accuracy"]) for r in rows} == {("0.0", "0.0")}
    trained, initial = np.load(tmp_path / "w.npz"), np.load(tmp_path / "start.npz")
    assert all(np.array_equal(trained[k], initial[k]) for k in initial.files)


def start(tmp_path, spec):
    import graphspec

    graphspec.compile(graphspec.check(spec), seed=0).save_weights(tmp_path / "start.npz")
    return tmp_path / "start.npz"


def test_an_array_it_does_not_read_is_named_with_the_one_meant(write, tmp_path, capsys):
    ids = np.zeros((4, 6), "int32")
    np.savez(tmp_path / "train.npz", x=ids, y=np.zeros(4, "int64"), sample_weights=np.ones(4))
    code = main(["train", str(write(SPEC)), "--data", str(tmp_path / "train.npz"), "-o", str(tmp_path / "w.npz")])
    message = capsys.readouterr().err.strip()
    assert code == 2 and message.endswith("holds an array 'sample_weights' that graphspec train does not read; did "
                                          "you mean 'sample_weight'?")


def test_the_onnxruntime_backend_is_told_to_train_on_numpy(write, tmp_path, capsys):
    code = main(["train", str(write(SPEC)), "--data", data(tmp_path), "-o", str(tmp_path / "w.npz"),
                 "--backend", "onnxruntime"])
    assert code == 2 and "the onnxruntime backend runs inference only: train with the numpy backend" in \
        capsys.readouterr().err
