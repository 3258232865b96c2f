"""Convolutions and pooling: Keras 1's nb_filter, nb_row/nb_col, border_mode, subsample, pool_length and stride;
Keras 1's atrous and deconvolution classes and their kernel layouts; DecomposedConv2D, which Keras writes as two Conv2D layers."""
from __future__ import annotations

from . import Mapping, register


def _kernel(config: dict, notes) -> dict:
    """nb_row and nb_col (and Convolution3D's kernel_dim1..3) as one kernel_size."""
    keys = [k for k in ("nb_row", "nb_col", "kernel_dim1", "kernel_dim2", "kernel_dim3") if k in config]
    if keys:
        config = dict(config)
        config["kernel_size"] = [config.pop(k) for k in keys]
        notes.add(f"{' and '.join(keys)} read as kernel_size", config.get("name", "?"))
    return config


CONV = Mapping(modernize=_kernel)
register(CONV, "Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D",
         "DepthwiseConv2D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose")
# Keras 2's loader flips these kernels' spatial axes when the file was saved by Theano, which convolves where
# TensorFlow (and graphspec) correlate.
THEANO_FLIPPED = frozenset({"Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose"})


def _keras1_conv1d(arrays: list, config: dict) -> list:
    """Keras 1.1+ kept a Conv1D kernel as (length, 1, in, filters), Keras 1.0 as (filters, in, length, 1)."""
    kernel, *rest = arrays
    length, filters = config.get("filter_length"), config.get("nb_filter")
    if kernel.ndim == 4 and kernel.shape[0] == filters and kernel.shape[2:] == (length, 1) \
            and kernel.shape[:2] != (length, 1):
        kernel = kernel.transpose(2, 3, 1, 0)
    return [kernel[:, 0] if kernel.ndim == 4 and kernel.shape[1] == 1 else kernel, *rest]


def _keras1_transposed(tf_order: tuple | None, th_order: tuple):
    """A kernel Keras 1 kept in its dim_ordering's layout (th: filters, in, spatial...), moved to Keras 2's."""
    def convert(arrays: list, config: dict) -> list:
        order = th_order if config.get("dim_ordering") == "th" else tf_order
        return [arrays[0].transpose(order), *arrays[1:]] if order and arrays[0].ndim == len(order) else arrays
    return convert


KERAS1_WEIGHTS = {"Conv1D": _keras1_conv1d, "Conv2D": _keras1_transposed(None, (2, 3, 1, 0)),
                  "Conv3D": _keras1_transposed(None, (2, 3, 4, 1, 0)),
                  "Conv2DTranspose": _keras1_transposed((0, 1, 3, 2), (2, 3, 0, 1))}
for _old, _new in {"Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
                   "AtrousConvolution1D": "Conv1D", "AtrousConvolution2D": "Conv2D",
                   "SeparableConvolution2D": "SeparableConv2D", "Deconvolution2D": "Conv2DTranspose",
                   "Deconv2D": "Conv2DTranspose", "Deconv3D": "Conv3DTranspose"}.items():
    register(Mapping(modernize=_kernel, renamed_class=_new, inert={"output_shape": None},
                     keras1_weights=KERAS1_WEIGHTS.get(_new)), _old)


def _decomposed(layer, name: str, weights: dict) -> list:
    """DecomposedConv2D as Keras runs it: Conv2D(intermediate_filters, (kh, 1)) then Conv2D(filters, (1, kw))."""
    from ..export_layers import KerasLayer, keras_fields
    args = keras_fields(layer)
    (kh, kw), (sh, sw), (dh, dw) = args.pop("kernel_size"), args.pop("strides"), args.pop("dilation_rate")
    middle, middle_activation = args.pop("intermediate_filters"), args.pop("intermediate_activation")
    filters, activation = args.pop("filters"), args.pop("activation")
    parts = []
    for part, size, stride, dilation, count, act in (
            ("vertical", [kh, 1], [sh, 1], [dh, 1], middle, middle_activation),
            ("horizontal", [1, kw], [1, sw], [1, dw], filters, activation)):
        config = {**args, "filters": count, "kernel_size": size, "strides": stride, "dilation_rate": dilation,
                  "activation": act}
        arrays = [weights[f"{part}_{w}"] for w in ("kernel", "bias") if f"{part}_{w}" in weights]
        parts.append(KerasLayer("Conv2D", f"{name}_{part}", config, arrays))
    return parts


register(Mapping(export=_decomposed), "DecomposedConv2D")
