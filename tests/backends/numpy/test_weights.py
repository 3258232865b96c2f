"""Weights given to a model, by set_weights or from a file, are checked: every array present, none extra, of the
spec's shapes, finite; a bad set is a RunError and leaves the model as it was."""
import numpy as np
import pytest
from support import SPECS, build

import graphspec

LAYERS = [{"type": "Dense", "name": "hidden", "units": 4, "activation": "relu"},
          {"type": "BatchNormalization", "name": "bn"}, {"type": "Dense", "name": "out", "units": 2}]
X = np.random.default_rng(0).uniform(-1, 1, (3, 5)).astype(np.float32)


@pytest.fixture
def model():
    return build(LAYERS, {"x": {"shape": [5]}})[0]


def unchanged_after(model, action, *fragments):
    """`action` raises a RunError naming every fragment, and the model still answers as before."""
    before = model(X)
    with pytest.raises(graphspec.RunError) as error:
        action()
    for fragment in fragments:
        assert fragment in str(error.value), str(error.value)
    np.testing.assert_array_equal(model(X), before)


def test_set_weights_missing_arrays(model):
    weights = model.get_weights()
    del weights["out"]["bias"], weights["bn"]
    unchanged_after(model, lambda: model.set_weights(weights),
                    "missing bn/beta, bn/gamma, bn/moving_mean, bn/moving_variance, out/bias")


def test_set_weights_extra_arrays(model):
    weights = model.get_weights()
    weights["out"]["scale"] = np.ones(2)
    weights["ghost"] = {"kernel": np.ones((2, 2))}
    unchanged_after(model, lambda: model.set_weights(weights), "unexpected ghost/kernel, out/scale")


def test_set_weights_wrong_shape(model):
    weights = model.get_weights()
    weights["hidden"]["kernel"] = weights["hidden"]["kernel"].T
    unchanged_after(model, lambda: model.set_weights(weights), "hidden/kernel has shape (4, 5), the spec needs (5, 4)")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_set_weights_not_finite(model, bad):
    weights = model.get_weights()
    weights["bn"]["moving_mean"][1] = bad
    unchanged_after(model, lambda: model.set_weights(weights), "bn/moving_mean holds NaN, infinite values or values beyond")


def test_set_weights_beyond_float32(model):
    weights = model.get_weights()
    weights["out"]["kernel"] = np.full((4, 2), 1e39)  # finite as float64, infinite as float32
    unchanged_after(model, lambda: model.set_weights(weights), "out/kernel holds NaN, infinite values or values beyond "
                    "float32's range (±3.4e38)")


def test_set_weights_complex_or_text(model):
    for bad in (np.ones((4, 2), complex), np.full((4, 2), "a")):
        weights = model.get_weights()
        weights["out"]["kernel"] = bad
        unchanged_after(model, lambda: model.set_weights(weights), f"out/kernel has dtype {bad.dtype}; it must hold real")


def test_set_weights_not_a_dict_of_dicts(model):
    for bad in (None, [np.ones(2)]):
        unchanged_after(model, lambda: model.set_weights(bad), "must be a dict by layer name of dicts by weight name, "
                        f"as get_weights() returns, not {type(bad).__name__}")
    unchanged_after(model, lambda: model.set_weights({"out": np.ones(2)}),
                    "the weights: ['out'] is ndarray, not a dict by weight name")


def test_set_weights_ragged_list(model):
    weights = model.get_weights()
    weights["out"]["kernel"] = [[1.0, 2.0], [3.0]]
    unchanged_after(model, lambda: model.set_weights(weights), "the weights: out/kernel is not an array")


def test_negative_moving_variance(model):
    weights = model.get_weights()
    weights["bn"]["moving_variance"][2] = -1
    unchanged_after(model, lambda: model.set_weights(weights), "bn/moving_variance: channel 2 holds -1: moving_variance "
                    "+ epsilon (0.001) must be positive, or that channel's outputs are NaN")
    weights["bn"]["moving_variance"][2] = -1e-4  # within epsilon (1e-3) of zero: still a positive denominator
    model.set_weights(weights)


def test_set_weights_are_copied_as_float32(model):
    weights = {layer: {w: a.astype(np.float64) for w, a in arrays.items()} for layer, arrays in model.get_weights().items()}
    model.set_weights(weights)
    before = model(X)
    weights["hidden"]["kernel"][:] = 0  # changing the caller's arrays afterwards changes nothing
    np.testing.assert_array_equal(model(X), before)
    assert all(a.dtype == np.float32 for arrays in model.get_weights().values() for a in arrays.values())


def saved(model, tmp_path, change=None, name="weights.npz"):
    """The model's weights written as an .npz, after `change` edits the flat {'layer/weight': array} dict."""
    flat = {f"{layer}/{w}": a for layer, arrays in model.get_weights().items() for w, a in arrays.items()}
    if change:
        change(flat)
    path = tmp_path / name
    np.savez(path, **flat)
    return path


def test_file_lacking_an_array(model, tmp_path):
    path = saved(model, tmp_path, lambda flat: flat.pop("out/kernel"))
    unchanged_after(model, lambda: model.load_weights(path), f"weights in {path}", "missing out/kernel")


def test_file_with_an_extra_array(model, tmp_path):
    path = saved(model, tmp_path, lambda flat: flat.update({"out/extra": np.zeros(2)}))
    unchanged_after(model, lambda: model.load_weights(path), "unexpected out/extra")


def test_file_with_a_wrong_shape(model, tmp_path):
    path = saved(model, tmp_path, lambda flat: flat.update({"bn/gamma": np.ones(5)}))
    unchanged_after(model, lambda: model.load_weights(path), "bn/gamma has shape (5,), the spec needs (4,)")


def test_file_with_nan(model, tmp_path):
    def poison(flat):
        flat["hidden/bias"] = flat["hidden/bias"].copy()
        flat["hidden/bias"][0] = np.nan
    path = saved(model, tmp_path, poison)
    unchanged_after(model, lambda: model.load_weights(path), "hidden/bias holds NaN")


def test_npy_instead_of_npz(model, tmp_path):
    path = tmp_path / "kernel.npy"
    np.save(path, model.get_weights()["hidden"]["kernel"])
    unchanged_after(model, lambda: model.load_weights(path), "holds one array", ".npz")


def test_missing_file_and_not_numpy(model, tmp_path):
    unchanged_after(model, lambda: model.load_weights(tmp_path / "none.npz"), "cannot read weights from", "no such file")
    unchanged_after(model, lambda: model.load_weights(tmp_path), "it is a directory")
    text = tmp_path / "weights.txt"
    text.write_text("not weights")
    unchanged_after(model, lambda: model.load_weights(text), "it is not an .npy or .npz file")
    empty = tmp_path / "empty.npz"
    empty.touch()
    unchanged_after(model, lambda: model.load_weights(empty), f"cannot read weights from {empty}: the file is empty")


@pytest.mark.parametrize("compressed", [False, True])
def test_corrupt_archive(model, tmp_path, compressed):
    path = saved(model, tmp_path)
    if compressed:
        with np.load(path) as archive:
            np.savez_compressed(path, **{k: archive[k] for k in archive.files})
    data = bytearray(path.read_bytes())
    data[200:260] = bytes(60)  # damage inside the first member
    path.write_bytes(bytes(data))
    unchanged_after(model, lambda: model.load_weights(path), f"cannot read weights from {path}")


def test_empty_archive(model, tmp_path):
    np.savez(tmp_path / "none.npz")
    unchanged_after(model, lambda: model.load_weights(tmp_path / "none.npz"), "do not fit the spec: missing")


def test_a_failed_save_leaves_the_earlier_file(model, tmp_path, monkeypatch):
    path = tmp_path / "w.npz"
    model.save_weights(path)
    before = path.read_bytes()

    def disk_full(handle, **arrays):
        handle.write(b"PK partial")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(np, "savez", disk_full)
    unchanged_after(model, lambda: model.save_weights(path), f"cannot write weights to {path}: No space left on device")
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["w.npz"]


def test_array_not_named_layer_slash_weight(model, tmp_path):
    path = saved(model, tmp_path, lambda flat: flat.update({"loose": np.zeros(2)}))
    unchanged_after(model, lambda: model.load_weights(path), "array 'loose' is not named 'layer/weight'")


def test_save_weights_writes_exactly_the_path(model, tmp_path):
    model.save_weights(tmp_path / "w.npz")
    assert [p.name for p in tmp_path.iterdir()] == ["w.npz"]
    for bad, message in [("w", "must end in .npz"), ("w.npy", "must end in .npz"),
                         ("nodir/w.npz", "the folder"), ("adir.npz", "is a directory")]:
        (tmp_path / "adir.npz").mkdir(exist_ok=True)
        with pytest.raises(graphspec.RunError, match=message):
            model.save_weights(tmp_path / bad)


def test_pickled_object_array_is_refused(model, tmp_path):
    path = saved(model, tmp_path, lambda flat: flat.update({"out/kernel": np.array([{"a": 1}], dtype=object)}))
    unchanged_after(model, lambda: model.load_weights(path), "cannot read weights from", "Python objects")


def test_compile_with_a_bad_weights_file(tmp_path):
    graph = graphspec.check(SPECS / "seed_cnn.yaml")
    path = tmp_path / "w.npz"
    np.savez(path, **{"conv1/kernel": np.zeros((3, 3, 1, 64))})
    with pytest.raises(graphspec.RunError, match="do not fit the spec: missing conv1/bias, conv2d/bias"):
        graphspec.compile(graph, weights=path)


def test_pretrained_table_is_loaded_exactly():
    """specs/pretrained_vec.yaml names tables/demo_vectors.vec: row i is the i-th word's vector, as float32."""
    lines = (SPECS / "tables" / "demo_vectors.vec").read_text().splitlines()
    count, dim = map(int, lines[0].split())
    table = np.array([[float(v) for v in line.split()[1:]] for line in lines[1:]], np.float32)
    assert table.shape == (count, dim) == (51, 8)
    graph = graphspec.check(SPECS / "pretrained_vec.yaml")
    for seed in (0, 1):
        model = graphspec.compile(graph, seed=seed)
        np.testing.assert_array_equal(model.get_weights()["pretrained"]["embeddings"], table)
    assert graph["pretrained"].non_trainable_params == 51 * 8
    ids = np.array([[0, 1, 50, 7, 3, 3, 2, 9, 11, 12, 49, 5]], np.int32)
    frequent = model.get_weights()["frequent"]["embeddings"]
    label = model.get_weights()["label"]
    features = np.concatenate([table[ids[0]].astype(np.float64), frequent[np.where(ids[0] < 10, ids[0], 0)]], axis=1)
    logits = features.mean(axis=0) @ label["kernel"] + label["bias"]
    expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(model(ids)[0], expected, rtol=1e-5, atol=1e-6)
