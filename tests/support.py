"""Helpers shared by the tests."""
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def analyze_text(text: str, format: str = "yaml"):
    """The checked graph of a spec given as text (never raises for a bad spec)."""
    from graphspec.infer import analyze
    from graphspec.reader import read_spec
    from graphspec.source import parse_text

    document, diagnostics = parse_text(text, format, file="spec.yaml")
    assert document is not None, diagnostics
    spec = read_spec(document)
    spec._diagnostics[:0] = diagnostics
    return analyze(spec)


def found(graph):
    """(code, line, column, layer) of each diagnostic, for exact assertions."""
    return [(d.code.value, d.line, d.column, d.layer) for d in graph.diagnostics]


# --- the NumPy backend through its public path: spec -> check -> compile -> set_weights -> call ------------

def checked(layers, inputs, outputs=None):
    """The checked graph of a spec built from Python data: `inputs` {name: {shape, dtype}}, `layers` a list of dicts."""
    import json

    import graphspec

    document = {"graphspec": 1, "name": "test", "inputs": inputs, "layers": layers}
    if outputs is not None:
        document["outputs"] = outputs
    return graphspec.check(graphspec.loads(json.dumps(document), format="json"))


def random_weights(graph, seed=0):
    """Random float32 weights of the Keras shapes the checker gives, scaled by 1/sqrt(fan-in) so outputs stay near 1;
    moving_variance and variance positive."""
    import math

    import numpy as np

    rng = np.random.default_rng(seed)
    weights = {}
    for name, info in graph.nodes.items():
        if not info.weights:
            continue
        weights[name] = {}
        for weight, shape in info.weights.items():
            if weight in ("moving_variance", "variance"):  # BatchNormalization, Normalization
                array = rng.uniform(0.5, 1.5, shape)
            else:
                scale = 1 / math.sqrt(math.prod(shape[:-1])) if len(shape) > 1 and weight != "embeddings" else 0.5
                array = rng.uniform(-scale, scale, shape) * 2
            weights[name][weight] = array.astype(np.float32)
    return weights


def build(layers, inputs, outputs=None, seed=0):
    """(model with random weights, those weights as float64 for a reference)."""
    import graphspec

    graph = checked(layers, inputs, outputs)
    model = graphspec.compile(graph, seed=seed)
    weights = random_weights(graph, seed)
    model.set_weights(weights)
    return model, {layer: {w: a.astype("float64") for w, a in arrays.items()} for layer, arrays in weights.items()}


def assert_close(actual, expected):
    """float32 results against a float64 reference: 1e-5 relative."""
    import numpy as np

    assert actual.dtype == np.float32, actual.dtype
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


# --- Keras parity fixtures (tests/fixtures/keras/<name>.npz, made by make_fixtures.py beside them) ------------

KERAS_FIXTURES = ROOT / "tests" / "fixtures" / "keras"


def read_fixture(path: Path) -> tuple[dict, dict, dict]:
    """A fixture's Keras weights (by layer, in graphspec's names and layouts), its inputs and Keras's outputs."""
    weights, inputs, outputs = {}, {}, {}
    with np.load(path, allow_pickle=False) as archive:
        for key in archive.files:
            kind, _, rest = key.partition("/")
            if kind == "weights":
                layer, _, weight = rest.partition("/")  # a layer name holds no "/"; a weight name may (query/kernel)
                weights.setdefault(layer, {})[weight] = archive[key]
            else:
                (inputs if kind == "inputs" else outputs)[rest] = archive[key]
    return weights, inputs, outputs
