"""The same network in PyTorch (and, exported from it, in ONNX Runtime), built from a checked graph with its weights.

Covers the layer types the benchmark models use, in a chain: Conv2D, DecomposedConv2D, MaxPooling2D,
AveragePooling2D (valid padding), Flatten, Dense, Embedding, GlobalAveragePooling1D/2D, GlobalMaxPooling1D/2D,
Dropout. Images run in torch's own NCHW order: the kernels are permuted once, and the Dense after a Flatten takes
its rows in (C, H, W) order, so no permute runs inside the timed call. `convert_input` gives the NCHW tensor in
torch's default (contiguous) layout or in channels_last, which is the Keras array itself, viewed.
"""
from __future__ import annotations

import io
import os
import warnings

import numpy as np

try:
    import torch
    from torch import nn
except ImportError:  # the benchmark still measures graphspec alone
    torch = nn = None

try:
    import onnxruntime
except ImportError:
    onnxruntime = None

ACTIVATIONS = {None: "Identity", "linear": "Identity", "relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh",
               "softmax": "Softmax", "elu": "ELU", "selu": "SELU", "gelu": "GELU", "softplus": "Softplus"}


def activation(name):
    module = getattr(nn, ACTIVATIONS[name])
    return module(dim=-1) if name == "softmax" else module()


def conv2d(kernel, bias, strides=1, padding="valid", dilation=1):
    """A torch Conv2d holding a Keras (kh, kw, C, F) kernel; `same` only where torch pads as Keras does."""
    if padding == "same" and set(np.atleast_1d(strides)) != {1}:
        raise NotImplementedError("same padding with strides > 1 pads asymmetrically in Keras")
    kh, kw, channels, filters = kernel.shape
    module = nn.Conv2d(channels, filters, (kh, kw), strides, 0 if padding == "valid" else "same", dilation,
                       bias=bias is not None)
    module.weight.data = torch.from_numpy(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1)))
    if bias is not None:
        module.bias.data = torch.from_numpy(bias.copy())
    return module


class GlobalPool(nn.Module if nn else object):
    def __init__(self, mode, dims):
        super().__init__()
        self.mode, self.dims = mode, dims

    def forward(self, x):
        return x.mean(self.dims) if self.mode == "avg" else x.amax(self.dims)


# Each translation: (layer, its weights, pending) -> torch modules; `pending` carries the layer's input shape and
# what a Flatten leaves for the Dense after it.
def _conv(layer, w, pending):
    return [conv2d(w["kernel"], w.get("bias"), layer.strides, layer.padding, layer.dilation_rate),
            activation(layer.activation)]


def _decomposed_conv(layer, w, pending):
    (sh, sw), (dh, dw) = layer.strides, layer.dilation_rate
    return [conv2d(w["vertical_kernel"], w.get("vertical_bias"), (sh, 1), layer.padding, (dh, 1)),
            activation(layer.intermediate_activation),
            conv2d(w["horizontal_kernel"], w.get("horizontal_bias"), (1, sw), layer.padding, (1, dw)),
            activation(layer.activation)]


def _pooling(layer, w, pending):
    if layer.padding != "valid":
        raise NotImplementedError(f"{layer.kind} with padding {layer.padding}")
    pool = nn.MaxPool2d if layer.reduction == "maximum" else nn.AvgPool2d
    return [pool(layer.pool_size, layer.window_strides)]


def _flatten(layer, w, pending):
    if len(pending["input_shape"]) == 3:
        pending["hwc"] = pending["input_shape"]  # the next Dense takes its rows in torch's (C, H, W) order
    return [nn.Flatten()]


def _dense(layer, w, pending):
    kernel, hwc = w["kernel"], pending.pop("hwc", None)
    if hwc is not None:  # Keras flattened (H, W, C); torch flattens (C, H, W)
        kernel = kernel.reshape(*hwc, -1).transpose(2, 0, 1, 3).reshape(kernel.shape)
    module = nn.Linear(*kernel.shape, bias="bias" in w)
    module.weight.data = torch.from_numpy(np.ascontiguousarray(kernel.T))
    if "bias" in w:
        module.bias.data = torch.from_numpy(w["bias"].copy())
    return [module, activation(layer.activation)]


def _embedding(layer, w, pending):
    return [nn.Embedding.from_pretrained(torch.from_numpy(w["embeddings"].copy()))]


def _global_pooling(layer, w, pending):
    return [GlobalPool("max" if layer.reduction == "maximum" else "avg", 1 if layer.rank == 1 else (2, 3))]


TRANSLATIONS = {"Conv2D": _conv, "DecomposedConv2D": _decomposed_conv, "MaxPooling2D": _pooling,
                "AveragePooling2D": _pooling, "Flatten": _flatten, "Dense": _dense, "Embedding": _embedding,
                "GlobalAveragePooling1D": _global_pooling, "GlobalAveragePooling2D": _global_pooling,
                "GlobalMaxPooling1D": _global_pooling, "GlobalMaxPooling2D": _global_pooling,
                "Dropout": lambda layer, w, pending: [], "GaussianNoise": lambda layer, w, pending: []}


def build_torch(graph, weights):
    """An nn.Sequential equal to the checked graph (a chain), in eval mode."""
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise NotImplementedError("the PyTorch translation covers single-input chains")
    modules, pending = [], {}
    for name in graph.topological_order()[1:]:
        info = graph[name]
        if len(info.sources) != 1:
            raise NotImplementedError(f"layer {name} has {len(info.sources)} inputs")
        if info.layer.kind not in TRANSLATIONS:
            raise NotImplementedError(f"no PyTorch translation for {info.layer.kind}")
        pending["input_shape"] = graph[info.sources[0]].output.shape[1:]
        modules += TRANSLATIONS[info.layer.kind](info.layer, weights.get(name, {}), pending)
    return nn.Sequential(*[m for m in modules if not isinstance(m, nn.Identity)]).eval()


def convert_input(x, channels_last=False):
    """The torch input for a Keras-layout array: NCHW for images (contiguous or channels_last), int64 ids as is."""
    tensor = torch.from_numpy(x if x.dtype.kind == "f" else x.astype(np.int64))
    if tensor.ndim != 4:
        return tensor
    tensor = tensor.permute(0, 3, 1, 2)  # a channels_last view of the NHWC array
    return tensor if channels_last else tensor.contiguous()


def set_threads(count=None):
    torch.set_num_threads(count or os.cpu_count())


def ort_session(module, example):
    """An ONNX Runtime session for the torch module (exported with a dynamic batch axis), or None when unavailable."""
    if onnxruntime is None:
        return None
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (example,), buffer, input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, dynamo=False)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = os.cpu_count(), 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(buffer.getvalue(), options, providers=["CPUExecutionProvider"])
