"""keras.ops.image.resize's weights built inside the graph, for images whose size the spec leaves open: the same
formula as fixed_tables.weight_matrix (half-pixel centres, the kernel widened by in / out with antialias, weights
renormalised, samples outside dropped), computed in float64 from the input's size at run time. An axis whose size
does not change gets the identity, as JAX leaves it alone."""
from __future__ import annotations

import math

import numpy as np


def _f64(ctx, value):
    return ctx.const(value, "float64")


def _poly(ctx, x, coefficients):
    """Horner: ((c0 x + c1) x + c2) x + ... in float64."""
    result = _f64(ctx, coefficients[0])
    for c in coefficients[1:]:
        result = ctx.op("Add", ctx.op("Mul", result, x), _f64(ctx, c))
    return result


def _kernel(ctx, method, x):
    if method == "bilinear":
        return ctx.op("Relu", ctx.op("Sub", _f64(ctx, 1.0), x))
    if method == "bicubic":
        inner, outer = _poly(ctx, x, [1.5, -2.5, 0.0, 1.0]), _poly(ctx, x, [-0.5, 2.5, -4.0, 2.0])
        near = ctx.op("Where", ctx.op("GreaterOrEqual", x, _f64(ctx, 1.0)), outer, inner)
        return ctx.op("Where", ctx.op("GreaterOrEqual", x, _f64(ctx, 2.0)), _f64(ctx, 0.0), near)
    radius = 3.0 if method == "lanczos3" else 5.0
    px = ctx.op("Mul", x, _f64(ctx, math.pi))
    numerator = ctx.op("Mul", ctx.op("Mul", ctx.op("Sin", px), ctx.op("Sin", ctx.op("Div", px, _f64(ctx, radius)))),
                       _f64(ctx, radius))
    y = ctx.op("Div", numerator, ctx.op("Mul", px, px))
    y = ctx.op("Where", ctx.op("Greater", x, _f64(ctx, 1e-3)), y, _f64(ctx, 1.0))
    return ctx.op("Where", ctx.op("Greater", x, _f64(ctx, radius)), _f64(ctx, 0.0), y)


def sample_positions(ctx, size, length):
    """(i + 0.5) * size / length - 0.5 for the `length` outputs, float64; size an int64 scalar value."""
    ratio = ctx.op("Div", ctx.cast(size, "float64"), _f64(ctx, float(length)))
    centres = _f64(ctx, np.arange(length) + 0.5)
    return ctx.op("Sub", ctx.op("Mul", centres, ratio), _f64(ctx, 0.5)), ratio


def weight_matrix(ctx, size, length, method, antialias, dtype):
    """(size, length) weights as a value, size read at run time (an int64 scalar)."""
    sample, ratio = sample_positions(ctx, size, length)
    pixels = ctx.cast(ctx.op("Range", ctx.const(0, "int64"), size, ctx.const(1, "int64")), "float64")
    distance = ctx.op("Abs", ctx.op("Sub", ctx.op("Unsqueeze", sample, ctx.ints([0])),
                                    ctx.op("Unsqueeze", pixels, ctx.ints([1]))))
    if antialias:
        distance = ctx.op("Div", distance, ctx.op("Max", ratio, _f64(ctx, 1.0)))
    weights = _kernel(ctx, method, distance)
    total = ctx.reduce("ReduceSum", weights, [0])
    usable = ctx.op("Greater", ctx.op("Abs", total), _f64(ctx, 1000 * float(np.finfo(np.float32).eps)))
    safe = ctx.op("Where", ctx.op("Equal", total, _f64(ctx, 0.0)), _f64(ctx, 1.0), total)
    weights = ctx.op("Where", usable, ctx.op("Div", weights, safe), _f64(ctx, 0.0))
    last = ctx.op("Sub", ctx.cast(size, "float64"), _f64(ctx, 0.5))
    inside = ctx.op("And", ctx.op("GreaterOrEqual", sample, _f64(ctx, -0.5)), ctx.op("LessOrEqual", sample, last))
    return ctx.cast(ctx.op("Where", ctx.op("Unsqueeze", inside, ctx.ints([0])), weights, _f64(ctx, 0.0)), dtype)


def nearest_indices(ctx, size, length):
    """min(floor((i + 0.5) * size / length), size - 1), in float32 as JAX computes it."""
    size32 = ctx.cast(size, "float32")
    position = ctx.op("Div", ctx.op("Mul", ctx.const(np.arange(length, dtype=np.float32) + np.float32(0.5),
                                                     "float32"), size32), ctx.const(float(length), "float32"))
    index = ctx.cast(ctx.op("Floor", position), "int64")
    return ctx.op("Min", index, ctx.op("Sub", size, ctx.const(1, "int64")))


def axis_size(ctx, x, axis):
    """The size of `axis` of x at run time, an int64 scalar."""
    return ctx.op("Squeeze", ctx.op("Slice", ctx.op("Shape", x), ctx.ints([axis]), ctx.ints([axis + 1])),
                  ctx.ints([0]))
