"""Resizing, UpSampling1D/2D/3D and the crops of CenterCrop and RandomCrop: repeats as Gathers, every interpolation
(antialias included) as a product with keras.ops.image.resize's constant weight matrix per axis (fixed_tables.py),
so ONNX gives the NumPy backend's numbers; these need static spatial sizes."""
from __future__ import annotations

import numpy as np

from ...layers.fixed_tables import nearest_indices, weight_matrix
from ..registry import ExportRefused, onnx_op
from . import interpolation


def known(sizes, layer) -> tuple[int, ...]:
    if None in sizes:
        raise ExportRefused(f"{layer.kind} of images of unknown size cannot be exported: its interpolation weights "
                            "depend on the input size", "give the input a fixed height and width in the spec")
    return tuple(sizes)


def resample_axis(ctx, x, axis, rank, size, length, method, antialias=False):
    """x resampled from `size` to `length` along `axis` (an axis whose size does not change is left alone); a size
    of None (unknown until run time) builds the weights in the graph (interpolation.py)."""
    if size == length:
        return x
    if size is None:
        run_size = interpolation.axis_size(ctx, x, axis)
        if method == "nearest":
            return ctx.op("Gather", x, interpolation.nearest_indices(ctx, run_size, length), axis=axis)
        matrix = interpolation.weight_matrix(ctx, run_size, length, method, antialias, ctx.dtype)
    elif method == "nearest":
        return ctx.op("Gather", x, ctx.ints(nearest_indices(size, length)), axis=axis)
    else:
        matrix = ctx.const(weight_matrix(size, length, method, antialias), hint="interpolation")
    perm = [a for a in range(rank) if a != axis] + [axis]
    moved = ctx.op("Transpose", x, perm=perm)
    return ctx.op("Transpose", ctx.op("MatMul", moved, matrix), perm=list(np.argsort(perm)))


def resize(ctx, x, axes, sizes, targets, method, antialias=False):
    rank = ctx.input_types[0].rank
    for axis, size, length in zip(axes, sizes, targets):
        x = resample_axis(ctx, x, axis, rank, size, length, method, antialias)
    return x


def image_axes(layer, rank):
    return list(range(2, rank)) if getattr(layer, "channels_first", False) else list(range(1, rank - 1))


def image_sizes(layer, tensor):
    return [tensor.shape[a] for a in image_axes(layer, tensor.rank)]


@onnx_op("UpSampling1D", "UpSampling2D", "UpSampling3D")
def upsampling(layer, info, inputs, weights, ctx):
    tensor = ctx.input_types[0]
    axes, method = image_axes(layer, tensor.rank), getattr(layer, "interpolation", "nearest")
    if method == "nearest":  # repeats: each position's index `factor` times, for any input size
        x = inputs[0]
        for axis, factor in zip(axes, layer.factors):
            if factor != 1:
                x = repeat_axis(ctx, x, axis, factor)
        return x
    sizes = known(image_sizes(layer, tensor), layer)
    return resize(ctx, inputs[0], axes, sizes, [n * f for n, f in zip(sizes, layer.factors)], method)


def repeat_axis(ctx, x, axis, factor):
    """np.repeat along `axis`: a new axis after it tiled `factor` times, then the two merged."""
    expanded = ctx.op("Unsqueeze", x, ctx.ints([axis + 1]))
    rank = ctx.input_types[0].rank
    tiled = ctx.op("Tile", expanded, ctx.ints([factor if a == axis + 1 else 1 for a in range(rank + 1)]))
    shape = ctx.op("Shape", x)
    scaled = ctx.op("Mul", shape, ctx.ints([factor if a == axis else 1 for a in range(rank)]))
    return ctx.op("Reshape", tiled, scaled)


def crop(ctx, x, axes, starts, lengths):
    return ctx.op("Slice", x, ctx.ints(starts), ctx.ints([s + n for s, n in zip(starts, lengths)]), ctx.ints(axes))


def fitted(layer, ctx, x, axes, sizes):
    """Keras's crop_to_aspect_ratio / pad_to_aspect_ratio before the resize; the new sizes."""
    (h, w), height, width = sizes, layer.height, layer.width
    if layer.crop_to_aspect_ratio:
        crop_h, crop_w = max(min(h, int(w * height / width)), 1), max(min(w, int(h * width / height)), 1)
        return crop(ctx, x, axes, [int((h - crop_h) / 2), int((w - crop_w) / 2)], [crop_h, crop_w]), (crop_h, crop_w)
    if layer.pad_to_aspect_ratio:
        rows, columns = int((max(h, int(w * height / width)) - h) / 2), int((max(w, int(h * width / height)) - w) / 2)
        if rows or columns:
            pads = [0] * 8
            pads[axes[0]], pads[axes[1]], pads[4 + axes[0]], pads[4 + axes[1]] = rows, columns, rows, columns
            x = ctx.op("Pad", x, ctx.ints(pads), ctx.const(layer.fill_value))
        return x, (h + 2 * rows, w + 2 * columns)
    return x, (h, w)


@onnx_op("Resizing")
def resizing(layer, info, inputs, weights, ctx):
    """Integer images are resized as floats and given back rounded half to even, clipped to their dtype's range."""
    tensor = ctx.input_types[0]
    axes = image_axes(layer, 4)
    x = inputs[0] if tensor.dtype in ("float32", "float64") else ctx.cast(inputs[0], "float32")
    sizes = image_sizes(layer, tensor)
    if layer.crop_to_aspect_ratio or layer.pad_to_aspect_ratio:
        x, sizes = fitted(layer, ctx, x, axes, known(sizes, layer))
    y = resize(ctx, x, axes, sizes, (layer.height, layer.width), layer.interpolation, layer.antialias)
    if tensor.dtype in ("float32", "float64"):
        return y
    if tensor.dtype == "bool":
        return ctx.cast(ctx.op("Clip", y, ctx.const(0.0, "float32"), ctx.const(1.0, "float32")), "bool")
    limits = np.iinfo(tensor.dtype)
    clipped = ctx.op("Clip", ctx.op("Round", y), ctx.const(limits.min, "float32"), ctx.const(limits.max, "float32"))
    return ctx.cast(clipped, tensor.dtype)


def smart_resize(ctx, x, axes, sizes, height, width):
    """keras.utils.smart_resize: the largest central crop of the target's aspect ratio, resized bilinear."""
    h, w = sizes
    crop_h, crop_w = max(min(h, int(w * height / width)), 1), max(min(w, int(h * width / height)), 1)
    x = crop(ctx, x, axes, [int((h - crop_h) / 2), int((w - crop_w) / 2)], [crop_h, crop_w])
    return resize(ctx, x, axes, (crop_h, crop_w), (height, width), "bilinear")


@onnx_op("CenterCrop")
def center_crop(layer, info, inputs, weights, ctx):
    axes = image_axes(layer, 4)
    h, w = known(image_sizes(layer, ctx.input_types[0]), layer)
    if h < layer.height or w < layer.width:
        return smart_resize(ctx, inputs[0], axes, (h, w), layer.height, layer.width)
    return crop(ctx, inputs[0], axes, [(h - layer.height) // 2, (w - layer.width) // 2], [layer.height, layer.width])


@onnx_op("RandomCrop")
def random_crop(layer, info, inputs, weights, ctx):
    """At inference the declared size: the image itself when it has that size, else smart_resize."""
    axes = image_axes(layer, 4)
    sizes = known(image_sizes(layer, ctx.input_types[0]), layer)
    if sizes == (layer.height, layer.width):
        return inputs[0]
    return smart_resize(ctx, inputs[0], axes, sizes, layer.height, layer.width)
