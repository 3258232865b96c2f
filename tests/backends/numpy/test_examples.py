"""Every example spec in specs/ runs end to end at batch 1 and 4: finite outputs of the checked shapes, and each
sample's answer independent of the batch it came in."""
import numpy as np
import pytest
from support import SPECS

import graphspec

EXAMPLES = sorted([*SPECS.glob("*.yaml"), *SPECS.glob("*.json")])
STEPS = 7  # the length given to a variable-length (null) axis, and the value of every named size (T)


def size(d):
    """An axis's length in the example arrays: STEPS for null, a named size with each name STEPS."""
    return STEPS if d is None else d if isinstance(d, int) else d.evaluate({n: STEPS for n in d.names})


def test_there_are_examples():
    assert len(EXAMPLES) >= 10


def vocabulary(graph) -> int:
    """Ids every Embedding accepts: below the smallest input_dim of those without an oov_index."""
    sizes = [info.layer.input_dim for info in graph.nodes.values()
             if info.layer is not None and info.layer.kind == "Embedding" and info.layer.oov_index is None]
    return min(sizes, default=1000)


def example_inputs(graph, batch, rng):
    arrays = {}
    for name, tensor in graph.input_types.items():
        shape = (batch, *(size(d) for d in tensor.shape[1:]))
        if tensor.is_integer:
            ids = rng.integers(1, vocabulary(graph), shape)
            ids[:, shape[1] // 2:] *= np.arange(shape[0]).reshape(-1, *[1] * (len(shape) - 1)) % 2  # some padding
            arrays[name] = ids.astype(tensor.dtype)
        else:
            arrays[name] = rng.uniform(-1, 1, shape).astype(tensor.dtype)
    return arrays


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda path: path.name)
def example(request):
    graph = graphspec.check(request.param)
    return graph, graphspec.compile(graph, seed=0)


@pytest.mark.parametrize("batch", [1, 4])
def test_runs_end_to_end(example, batch):
    graph, model = example
    out = model(example_inputs(graph, batch, np.random.default_rng(batch)))
    outputs = out if isinstance(out, dict) else {graph.outputs[0]: out}
    assert list(outputs) == graph.outputs
    for name, array in outputs.items():
        expected = tuple(batch if i == 0 else size(d) for i, d in enumerate(graph.output_types[name].shape))
        assert array.shape == expected, name
        assert array.dtype == np.float32
        assert np.isfinite(array).all(), name


def test_a_sample_answers_the_same_alone(example):
    graph, model = example
    inputs = example_inputs(graph, 4, np.random.default_rng(9))
    together = model(inputs)
    alone = model({name: a[3:] for name, a in inputs.items()})
    if not isinstance(together, dict):
        together, alone = {"out": together}, {"out": alone}
    for name in together:
        np.testing.assert_allclose(alone[name][0], together[name][3], rtol=1e-5, atol=1e-6)
