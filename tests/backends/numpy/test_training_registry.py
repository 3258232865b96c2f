"""Every kernel trains: it has a backward (train_forward), as the issue on training asks of every layer type."""
import pytest

from graphspec_backends.numpy.kernels import KERNELS
from graphspec_backends.numpy.kernels.base import Kernel, has_backward


@pytest.mark.parametrize("kind", sorted(KERNELS))
def test_kernel_has_backward(kind):
    assert has_backward(KERNELS[kind]), f"{kind}'s kernel has no train_forward: it cannot train"


class InferenceOnly(Kernel):
    """A kernel as a third-party backend might register one: a forward and no backward."""

    def forward(self, inputs, masks):
        return inputs[0]


def test_a_model_with_a_layer_that_cannot_train_is_refused_at_compile_training(monkeypatch):
    import graphspec
    from graphspec.diagnostics import RunError
    from support import checked

    monkeypatch.setitem(KERNELS, "RandomFlip", InferenceOnly)
    graph = checked([{"type": "RandomFlip", "name": "flip"}, {"type": "Flatten"}, {"type": "Dense", "units": 2}],
                    {"image": {"shape": [4, 4, 3]}})
    model = graphspec.compile(graph, seed=0)
    with pytest.raises(RunError, match=r"no backward pass for flip \(RandomFlip\); it runs at inference"):
        model.compile_training(loss="mse", optimizer="sgd")
