"""The compiled plan: a conv and the max pooling after it run as one step; large activations run in blocks of
samples and the rest at full batch; either way every sample gets the answer it gets alone."""
import numpy as np
import pytest
from support import build, checked

import graphspec

from graphspec_backends.numpy import plan as plan_module

CNN = [
    {"type": "Conv2D", "name": "conv", "filters": 8, "kernel_size": 3, "activation": "relu"},
    {"type": "MaxPooling2D", "name": "pool"},
    {"type": "Conv2D", "name": "conv2", "filters": 4, "kernel_size": 3, "padding": "same", "activation": "gelu"},
    {"type": "MaxPooling2D", "name": "pool2"},
    {"type": "Flatten", "name": "flat"},
    {"type": "Dense", "name": "probs", "units": 3, "activation": "softmax"},
]


def cnn(**inputs):
    return build(CNN, {"image": {"shape": [18, 17, 2], **inputs}})[0]


def test_conv_then_max_pooling_is_one_step_unless_the_activation_forbids_it():
    labels = [step.label for step in cnn()._plan.steps]
    assert labels == ["conv + pool", "conv2", "pool2", "flat", "probs"]  # gelu is not monotonic: not fused


def test_blocks_cover_the_large_activations_and_the_head_runs_at_full_batch(monkeypatch):
    monkeypatch.setattr(plan_module, "LARGE_SAMPLE_BYTES", 800)  # up to conv2's output (896 bytes) is large
    monkeypatch.setattr(plan_module, "BLOCK_BYTES", 6000)  # two samples (2448 bytes of input each) per block
    model = cnn()
    plan = model._plan
    assert [step.label for step in plan.steps[: plan.blocked]] == ["conv + pool", "conv2", "pool2"]
    assert plan.crossing == ["pool2"] and 1 < plan.block_size(7) < 7
    x = np.random.default_rng(0).uniform(-1, 1, (7, 18, 17, 2)).astype(np.float32)
    whole = model(x)
    alone = np.concatenate([model(x[i:i + 1]) for i in range(len(x))])
    np.testing.assert_allclose(whole, alone, rtol=1e-5, atol=1e-6)


def test_profile_collects_seconds_per_step():
    model = cnn()
    model._plan.profile = {}
    model(np.zeros((2, 18, 17, 2), np.float32))
    assert set(model._plan.profile) == {step.label for step in model._plan.steps}
    assert all(seconds >= 0 for seconds in model._plan.profile.values())


@pytest.mark.parametrize("batch", [0, 1, 5])
def test_small_and_empty_batches(batch):
    out = cnn()(np.zeros((batch, 18, 17, 2), np.float32))
    assert out.shape == (batch, 3) and out.dtype == np.float32


def test_kernels_may_buffer_up_to_the_largest_activation(seed_cnn):
    """The largest activation of seed_cnn is conv1's (62, 62, 64) float32: its kernels' buffers may take as much, and
    at batch 1 the whole call stays within twice it (tracemalloc counts NumPy's buffers)."""
    import tracemalloc

    largest = 62 * 62 * 64 * 4
    kernels = [getattr(step.kernel, "kernel", step.kernel) for step in seed_cnn._plan.steps]  # a fused step's conv
    assert {kernel.scratch_per_sample for kernel in kernels} == {largest}
    x = np.random.default_rng(0).uniform(0, 1, (1, 64, 64, 1)).astype(np.float32)
    seed_cnn(x)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        seed_cnn(x)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak <= 2 * largest


@pytest.mark.parametrize("layer, inputs, produced", [  # each far beyond any address space, so never allocated
    ({"type": "RepeatVector", "n": 10 ** 13}, [8], "(2, 10000000000000, 8) float32 = 596,046 GiB"),
    ({"type": "ZeroPadding2D", "padding": 10 ** 7}, [8, 8, 3], "(2, 20000008, 20000008, 3) float32 = 8,940,704 GiB"),
    ({"type": "UpSampling2D", "size": 10 ** 7}, [8, 8, 3], "(2, 80000000, 80000000, 3) float32 = 143,051,147 GiB"),
])
def test_an_activation_too_large_to_allocate_is_a_run_error_naming_the_layer(layer, inputs, produced):
    model, _ = build([{**layer, "name": "big"}], {"x": {"shape": inputs}})
    with pytest.raises(graphspec.RunError) as error:
        model(np.zeros((2, *inputs), np.float32))
    assert str(error.value) == (f"layer 'big' would produce {produced}, more memory than is free: is a size "
                                "mistyped? If not, run fewer samples at a time (--batch-size, or predict(..., "
                                "batch_size=))")


def test_a_weight_too_large_to_draw_is_a_run_error_naming_the_layer():
    graph = checked([{"type": "Dense", "name": "wide", "units": 10 ** 7}], {"x": {"shape": [10 ** 7]}})
    with pytest.raises(graphspec.RunError) as error:
        graphspec.compile(graph)
    assert str(error.value) == ("the initial weights of layer 'wide' would produce (10000000, 10000000) float64 = "
                                "745,058 GiB, more memory than is free: is a size mistyped?")


def test_a_memory_error_without_a_shape_still_names_the_layer():
    error = plan_module.out_of_memory("layer 'big'", MemoryError())
    assert str(error) == ("layer 'big' ran out of memory: is a size mistyped? If not, run fewer samples at a time "
                          "(--batch-size, or predict(..., batch_size=))")
