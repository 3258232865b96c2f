"""Every activation a spec may name, as ONNX nodes with the NumPy backend's (Keras 3's) definitions.

Each builder is `f(ctx, x) -> value`; Dense, the convolutions and the recurrent layers apply theirs through
`activate`.
"""
from __future__ import annotations

import math

SELU_ALPHA, SELU_SCALE = 1.67326324, 1.05070098  # keras.activations.selu's constants, as the NumPy backend has them


def clip(ctx, x, low=None, high=None):
    return ctx.op("Clip", x, "" if low is None else ctx.const(low), "" if high is None else ctx.const(high))


def affine(ctx, x, scale=1.0, shift=0.0):
    if scale != 1.0:
        x = ctx.op("Mul", x, ctx.const(scale))
    return ctx.op("Add", x, ctx.const(shift)) if shift else x


def gelu(ctx, x):
    """x Φ(x) = x (1 + erf(x / √2)) / 2, the exact (approximate=False) form Keras names gelu."""
    erf = ctx.op("Erf", ctx.op("Mul", x, ctx.const(1 / math.sqrt(2))))
    return ctx.op("Mul", ctx.op("Mul", x, ctx.const(0.5)), affine(ctx, erf, shift=1.0))


def softplus(ctx, x):
    """log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)): finite for large |x|, as NumPy's logaddexp is."""
    tail = ctx.op("Log", affine(ctx, ctx.op("Exp", ctx.op("Neg", ctx.op("Abs", x))), shift=1.0))
    return ctx.op("Add", ctx.op("Relu", x), tail)


def sparse_plus(ctx, x):
    quadratic = ctx.op("Mul", ctx.op("Pow", affine(ctx, x, shift=1.0), ctx.const(2.0)), ctx.const(0.25))
    upper = ctx.op("Where", ctx.op("GreaterOrEqual", x, ctx.const(1.0)), x, quadratic)
    return ctx.op("Where", ctx.op("LessOrEqual", x, ctx.const(-1.0)), ctx.const(0.0), upper)


def squareplus(ctx, x):
    root = ctx.op("Sqrt", ctx.op("Add", ctx.op("Mul", x, x), ctx.const(4.0)))
    return ctx.op("Mul", ctx.op("Add", x, root), ctx.const(0.5))


def glu(ctx, x):
    a, b = ctx.op("Split", x, axis=-1, outputs=2)  # opset 17: equal halves when no sizes are given
    return ctx.op("Mul", a, ctx.op("Sigmoid", b))


def sparsemax(ctx, x, axis=-1, rank=None):
    """Martins & Astudillo's projection (the NumPy backend's fixed formula): max(x - tau, 0)."""
    rank = rank or ctx.output.rank
    axis = axis % rank
    size = ctx.output.shape[axis]
    if size is None:
        from ..registry import ExportRefused
        raise ExportRefused("sparsemax over an axis of unknown size cannot be exported",
                            "give that axis a fixed size in the spec")
    ordered = ctx.op("TopK", x, ctx.ints([size]), axis=axis, largest=1, sorted=1, outputs=2)[0]
    ranks = ctx.const([float(k) for k in range(1, size + 1)])
    ranks = ctx.op("Reshape", ranks, ctx.ints([-1 if a == axis else 1 for a in range(rank)]))
    cumulative = ctx.op("CumSum", ordered, ctx.ints(axis))
    support = ctx.op("Greater", ctx.op("Sub", ordered, ctx.op("Div", affine(ctx, cumulative, shift=-1.0), ranks)),
                     ctx.const(0.0))
    support_f = ctx.cast(support, ctx.dtype)
    k = ctx.reduce("ReduceSum", support_f, [axis], 1)
    total = ctx.reduce("ReduceSum", ctx.op("Mul", ordered, support_f), [axis], 1)
    tau = ctx.op("Div", affine(ctx, total, shift=-1.0), k)
    return ctx.op("Relu", ctx.op("Sub", x, tau))


ACTIVATIONS = {
    "linear": lambda ctx, x: x,
    "relu": lambda ctx, x: ctx.op("Relu", x),
    "relu6": lambda ctx, x: clip(ctx, x, 0.0, 6.0),
    "leaky_relu": lambda ctx, x: ctx.op("LeakyRelu", x, alpha=0.2),
    "elu": lambda ctx, x: ctx.op("Elu", x, alpha=1.0),
    "celu": lambda ctx, x: ctx.op("Celu", x, alpha=1.0),
    "selu": lambda ctx, x: ctx.op("Selu", x, alpha=SELU_ALPHA, gamma=SELU_SCALE),
    "gelu": gelu,
    "glu": glu,
    "sigmoid": lambda ctx, x: ctx.op("Sigmoid", x),
    "hard_sigmoid": lambda ctx, x: ctx.op("HardSigmoid", x, alpha=1 / 6, beta=0.5),
    "sparse_sigmoid": lambda ctx, x: ctx.op("Mul", clip(ctx, affine(ctx, x, shift=1.0), 0.0, 2.0), ctx.const(0.5)),
    "log_sigmoid": lambda ctx, x: ctx.op("Neg", softplus(ctx, ctx.op("Neg", x))),
    "tanh": lambda ctx, x: ctx.op("Tanh", x),
    "hard_tanh": lambda ctx, x: clip(ctx, x, -1.0, 1.0),
    "tanh_shrink": lambda ctx, x: ctx.op("Sub", x, ctx.op("Tanh", x)),
    "hard_shrink": lambda ctx, x: ctx.op("Shrink", x, bias=0.0, lambd=0.5),
    "soft_shrink": lambda ctx, x: ctx.op("Shrink", x, bias=0.5, lambd=0.5),
    "softmax": lambda ctx, x: ctx.op("Softmax", x, axis=-1),
    "log_softmax": lambda ctx, x: ctx.op("LogSoftmax", x, axis=-1),
    "sparsemax": sparsemax,
    "softplus": softplus,
    "sparse_plus": sparse_plus,
    "squareplus": squareplus,
    "softsign": lambda ctx, x: ctx.op("Softsign", x),
    "silu": lambda ctx, x: ctx.op("Mul", x, ctx.op("Sigmoid", x)),
    "hard_silu": lambda ctx, x: ctx.op("HardSwish", x),
    "mish": lambda ctx, x: ctx.op("Mul", x, ctx.op("Tanh", softplus(ctx, x))),
    "exponential": lambda ctx, x: ctx.op("Exp", x),
}
ACTIVATIONS["swish"] = ACTIVATIONS["silu"]
ACTIVATIONS["hard_swish"] = ACTIVATIONS["hard_silu"]


def activate(ctx, x: str, name: str | None) -> str:
    return ACTIVATIONS[name or "linear"](ctx, x)
