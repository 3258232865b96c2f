"""Bidirectional as Keras 3 calls it (the NumPy kernel's counterpart: backends/numpy/kernels/bidirectional.py): its
forward and backward recurrent layers, each exported by its own mapping (a Scan reading one way), on the same input
and mask, initial_state split in half between them. With return_sequences each direction's outputs at masked steps
are zeros (Keras forces zero_output_for_mask there) and the backward outputs are flipped back to the input's order;
then merge_mode joins the two, or with merge_mode null both are outputs, forward first. return_state adds the forward
layer's last states, then the backward layer's.

Two single-direction Scans rather than ONNX's LSTM/GRU/RNN with direction=bidirectional: those take a mask only as
sequence_lens (padding at the end), while Keras carries the states over a masked step anywhere in the sequence."""
from __future__ import annotations

from ...types import TensorType
from ..registry import onnx_mask, onnx_op
from .wrappers import inner_layer, run_inner

LAST = -(2 ** 63)  # Slice's end for "through the first element" when stepping backwards

MERGE = {"concat": lambda ctx, a, b: ctx.op("Concat", a, b, axis=-1),
         "sum": lambda ctx, a, b: ctx.op("Add", a, b), "mul": lambda ctx, a, b: ctx.op("Mul", a, b),
         "ave": lambda ctx, a, b: ctx.op("Div", ctx.op("Add", a, b), ctx.const(2.0, hint="two"))}


def reverse_steps(ctx, value: str) -> str:
    return ctx.op("Slice", value, ctx.ints([-1]), ctx.ints([LAST]), ctx.ints([1]), ctx.ints([-1]))


def direction_outputs(ctx, prefix: str, inner, inputs: list[str], weights: dict, output: TensorType) -> list[str]:
    """One direction's output, zero at masked steps with return_sequences (in its reading order), then its last
    states where it returns them; `inputs` are the sequence and this direction's half of initial_state."""
    own = {w[len(prefix):]: a for w, a in weights.items() if w.startswith(prefix)}
    mask = ctx.input_masks[0]
    types = [ctx.input_types[0], *(TensorType((None, inner.units), output.dtype) for _ in inputs[1:])]
    with inner_layer(ctx, prefix.rstrip("_"), output, types, [mask] + [None] * (len(inputs) - 1)):
        y, *states = run_inner(ctx, inner, inputs, own)
    if mask is None or not inner.return_sequences:
        return [y, *states]
    read = reverse_steps(ctx, mask) if inner.go_backwards else mask
    keep = ctx.op("Unsqueeze", read, ctx.ints([2]))
    return [ctx.op("Where", keep, y, ctx.const(0.0, output.dtype, "zero")), *states]


def head_type(inner, wanted: TensorType) -> TensorType:
    """A direction's output type: (batch, steps, units) with return_sequences, else (batch, units)."""
    shape = (None, wanted.shape[1], inner.units) if inner.return_sequences else (None, inner.units)
    return TensorType(shape, wanted.dtype)


@onnx_op("Bidirectional")
def bidirectional(layer, info, inputs, weights, ctx):
    sequence, states = inputs[0], inputs[1:]
    halves = (states[: len(states) // 2], states[len(states) // 2:])
    (y, *ahead), (y_rev, *behind) = (
        direction_outputs(ctx, prefix, inner, [sequence, *half], weights, head_type(inner, ctx.output))
        for (prefix, inner), half in zip(layer.directions().items(), halves))
    if layer.return_sequences:
        y_rev = reverse_steps(ctx, y_rev)
    heads = [y, y_rev] if layer.merge_mode is None else [MERGE[layer.merge_mode](ctx, y, y_rev)]
    outputs = [*heads, *ahead, *behind]
    return outputs if len(outputs) > 1 else outputs[0]


@onnx_mask("Bidirectional")
def bidirectional_mask(layer, info, inputs, masks, ctx):
    """The input's mask on the output with return_sequences, on both with merge_mode null (Keras's compute_mask);
    none on the states."""
    mask = masks[0] if layer.return_sequences else None
    return (mask, mask) if layer.merge_mode is None else mask
