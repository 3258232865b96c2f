"""Every kernel trains: it has a backward (train_forward), as the issue on training asks of every layer type.

NOT_YET lists the kernels whose backward is still to be written, by family (their kernel module); it only
shrinks: a kernel that gains a backward must leave it (the second test fails otherwise), and training is
complete when it is empty.
"""
import pytest

from graphspec_backends.numpy.kernels import KERNELS
from graphspec_backends.numpy.kernels.base import has_backward

NOT_YET = {
    # preprocessing and augmentation
    "CenterCrop", "Normalization", "RandomCrop", "Rescaling", "CutMix", "Equalization", "MixUp", "RandomBrightness",
    "RandomColorDegeneration", "RandomColorJitter", "RandomContrast", "RandomElasticTransform", "RandomErasing",
    "RandomFlip", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective",
    "RandomPosterization", "RandomRotation", "RandomSaturation", "RandomSharpness", "RandomShear",
    "RandomTranslation", "RandomZoom", "Solarization",
}


@pytest.mark.parametrize("kind", sorted(set(KERNELS) - NOT_YET))
def test_kernel_has_backward(kind):
    assert has_backward(KERNELS[kind]), f"{kind}'s kernel has no train_forward: it cannot train"


def test_not_yet_lists_only_kernels_without_backward():
    done = sorted(kind for kind in NOT_YET if kind in KERNELS and has_backward(KERNELS[kind]))
    assert not done, f"these kernels have a backward now: remove them from NOT_YET: {done}"
    assert not NOT_YET - set(KERNELS), f"no such kernels: {sorted(NOT_YET - set(KERNELS))}"



def test_a_model_with_a_layer_that_cannot_train_is_refused_at_compile_training():
    import graphspec
    from graphspec.diagnostics import RunError
    from support import checked

    assert "RandomFlip" in NOT_YET
    graph = checked([{"type": "RandomFlip", "name": "flip"}, {"type": "Flatten"}, {"type": "Dense", "units": 2}],
                    {"image": {"shape": [4, 4, 3]}})
    model = graphspec.compile(graph, seed=0)
    with pytest.raises(RunError, match=r"no backward pass for flip \(RandomFlip\); it runs at inference"):
        model.compile_training(loss="mse", optimizer="sgd")
