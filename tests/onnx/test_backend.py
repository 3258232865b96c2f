"""The onnxruntime backend: the NumPy backend's API, input checks, RunError messages and weight handling."""
import numpy as np
import pytest
from onnx_support import needs_ort

import graphspec
from graphspec.backends import available_backends
from support import SPECS

pytestmark = needs_ort


@pytest.fixture(scope="module")
def text_models():
    graph = graphspec.check(SPECS / "text_classifier.yaml")
    return graph, graphspec.compile(graph, backend="onnxruntime", seed=1), graphspec.compile(graph, seed=1)


def error_of(model, given):
    with pytest.raises(graphspec.RunError) as info:
        model(given)
    return str(info.value)


def test_registered_as_an_entry_point():
    assert "onnxruntime" in available_backends()


def test_opset_and_ir_version_are_pinned():
    from graphspec.onnx import IR_VERSION, OPSET
    model = graphspec.to_onnx(graphspec.check(SPECS / "seed_cnn.yaml"))
    assert (IR_VERSION, OPSET) == (8, 17)
    assert model.ir_version == 8 and [(o.domain, o.version) for o in model.opset_import] == [("", 17)]


def test_names_and_symbolic_batch():
    graph = graphspec.check(SPECS / "seed_cnn.yaml")
    model = graphspec.to_onnx(graph)
    (given,), (out,) = model.graph.input, model.graph.output
    assert (given.name, out.name) == ("image", "probs")
    assert [d.dim_param or d.dim_value for d in given.type.tensor_type.shape.dim] == ["batch", 64, 64, 1]
    assert {n.name.split("/")[0] for n in model.graph.node} == set(graph.layer_names())


def test_sizes_left_open_are_symbols():
    graph = graphspec.check(SPECS / "masked_timeseries.yaml")
    dims = [d.dim_param or d.dim_value for d in graphspec.to_onnx(graph).graph.input[0].type.tensor_type.shape.dim]
    assert dims[0] == "batch" and all(isinstance(d, int) or d.startswith(graph.inputs[0]) for d in dims[1:])


@pytest.mark.parametrize("bad", [
    lambda x: x.astype("float32"),  # floats to an id input
    lambda x: x[:, :3],  # wrong length
    lambda x: x[0],  # wrong rank
    lambda x: {"ids": x},  # wrong name
    lambda x: np.where(x == x[0, 0], 10 ** 6, x),  # an id outside the table
    lambda x: np.where(x == x[0, 0], -1, x),  # a negative id, which ONNX's Gather would wrap
    lambda x: x.astype(np.int64) + 2 ** 33,  # beyond int32
])
def test_bad_input_gives_the_numpy_backends_error(text_models, bad):
    graph, fast, reference = text_models
    x = np.random.default_rng(0).integers(1, 50, (4, *graph.input_types[graph.inputs[0]].shape[1:])).astype("int32")
    assert error_of(fast, bad(x)) == error_of(reference, bad(x))


def test_predict_batches_as_call_and_as_numpy(text_models):
    graph, fast, reference = text_models
    x = np.random.default_rng(1).integers(0, 50, (70, *graph.input_types[graph.inputs[0]].shape[1:])).astype("int32")
    np.testing.assert_allclose(fast.predict(x, batch_size=32, progress=False), fast(x), rtol=1e-6)
    np.testing.assert_allclose(fast.predict(x, batch_size=32), reference.predict(x), rtol=1e-5, atol=1e-6)
    assert fast.predict(x[:0]).shape == reference.predict(x[:0]).shape
    with pytest.raises(graphspec.RunError, match="batch_size"):
        fast.predict(x, batch_size=0)


def test_weights_round_trip(tmp_path):
    graph = graphspec.check(SPECS / "seed_cnn.yaml")
    fast, reference = graphspec.compile(graph, backend="onnxruntime", seed=5), graphspec.compile(graph, seed=6)
    x = np.random.default_rng(2).random((2, 64, 64, 1), dtype=np.float32)
    fast.save_weights(tmp_path / "w.npz")
    reference.load_weights(tmp_path / "w.npz")
    np.testing.assert_allclose(fast(x), reference(x), rtol=1e-5, atol=1e-6)
    fast.set_weights(graphspec.compile(graph, seed=7).get_weights())
    assert not np.allclose(fast(x), reference(x))
    fast.load_weights(tmp_path / "w.npz")
    np.testing.assert_allclose(fast(x), reference(x), rtol=1e-5, atol=1e-6)
    loaded = graphspec.compile(graph, backend="onnxruntime", weights=str(tmp_path / "w.npz"))
    assert all(np.array_equal(loaded.get_weights()[k][w], a) for k, ws in reference.get_weights().items()
               for w, a in ws.items())


def test_weights_that_do_not_fit_are_refused_as_numpy_refuses(tmp_path):
    graph = graphspec.check(SPECS / "seed_cnn.yaml")
    weights = graphspec.compile(graph).get_weights()
    weights["conv1"]["kernel"] = np.zeros((2, 2), np.float32)
    np.savez(tmp_path / "bad.npz", **{f"{k}/{w}": a for k, ws in weights.items() for w, a in ws.items()})
    messages = []
    for backend in ("numpy", "onnxruntime"):
        with pytest.raises(graphspec.RunError) as info:
            graphspec.compile(graph, backend=backend, weights=str(tmp_path / "bad.npz"))
        messages.append(str(info.value))
        model = graphspec.compile(graph, backend=backend)
        with pytest.raises(graphspec.RunError) as info:
            model.set_weights(weights)
        messages.append(str(info.value))
    assert messages[:2] == messages[2:]


def test_session_options(monkeypatch):
    from graphspec_backends.onnxruntime.session import physical_cores
    graph = graphspec.check(SPECS / "mnist_mlp.json")
    fast = graphspec.compile(graph, backend="onnxruntime")
    options = fast._session.get_session_options()
    assert options.intra_op_num_threads == physical_cores() >= 1
    assert str(options.graph_optimization_level).endswith("ORT_ENABLE_ALL")
    tuned = graphspec.compile(graph, backend="onnxruntime", intra_op_num_threads=1, graph_optimization_level="basic")
    assert tuned._session.get_session_options().intra_op_num_threads == 1
    with pytest.raises(ValueError, match="graph_optimization_level"):
        graphspec.compile(graph, backend="onnxruntime", graph_optimization_level="most")


def test_the_exported_file_refuses_a_negative_id_in_any_onnx_runtime_session(text_models):
    import onnxruntime
    graph, fast, _ = text_models
    session = onnxruntime.InferenceSession(fast.onnx_model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = np.ones((2, *graph.input_types[graph.inputs[0]].shape[1:]), "int32")
    assert session.run(None, {graph.inputs[0]: x})[0].shape[0] == 2
    x[1, 3] = -1  # Gather alone would read the table's last row
    with pytest.raises(Exception, match="out of data bounds"):
        session.run(None, {graph.inputs[0]: x})


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64"])
def test_every_signed_id_type_has_its_negative_ids_refused_by_the_file_itself(dtype):
    import onnxruntime
    spec = f"""
graphspec: 1
inputs: {{ids: {{shape: [3], dtype: {dtype}}}}}
layers: [{{type: Embedding, input_dim: 100, output_dim: 2}}]
"""
    session = onnxruntime.InferenceSession(graphspec.to_onnx(graphspec.check(graphspec.loads(spec)))
                                           .SerializeToString(), providers=["CPUExecutionProvider"])
    assert session.run(None, {"ids": np.array([[0, 5, 99]], dtype)})[0].shape == (1, 3, 2)
    for negative in (-1, np.iinfo(dtype).min):
        with pytest.raises(Exception, match="out of data bounds"):
            session.run(None, {"ids": np.array([[0, negative, 99]], dtype)})


def test_a_cpu_session_runs_without_onnxruntimes_per_call_checks_and_any_other_through_its_run():
    from graphspec_backends.onnxruntime.session import session_runner
    graph = graphspec.check(SPECS / "mnist_mlp.json")
    fast = graphspec.compile(graph, backend="onnxruntime")
    x = np.random.default_rng(3).random((2, *graph.input_types[graph.inputs[0]].shape[1:]), dtype=np.float32)
    feed, outputs = {graph.inputs[0]: x}, list(graph.outputs)
    assert session_runner(fast._session) is not fast._session.run
    np.testing.assert_array_equal(session_runner(fast._session)(outputs, feed)[0], fast._session.run(outputs, feed)[0])

    class WithAnotherProvider:  # onnxruntime falls back from a failed provider only in its public run
        _sess = fast._session._sess
        run = fast._session.run

        def get_providers(self):
            return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    other = WithAnotherProvider()
    assert session_runner(other) == other.run


def test_training_calls_say_to_train_on_the_numpy_backend():
    fast = graphspec.compile(graphspec.check(SPECS / "mnist_mlp.json"), backend="onnxruntime")
    for call in (fast.compile_training, fast.fit, fast.evaluate, fast.train_on_batch):
        with pytest.raises(graphspec.RunError, match="the onnxruntime backend runs inference only: train with the "
                                                     "numpy backend"):
            call(loss="mse")
