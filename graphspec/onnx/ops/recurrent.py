"""SimpleRNN, LSTM and GRU as an ONNX Scan over the steps, with Keras 3's gate orders and biases as the NumPy backend
runs them: the input projection of every step is one MatMul before the Scan; a masked step (mask_zero or Masking,
padding anywhere, left-padded included) carries every state over, exactly; go_backwards reads the steps and mask last
to first (scan_input_directions) and keeps the outputs in that reading order."""
from __future__ import annotations

from ...types import TensorType
from ..registry import onnx_mask, onnx_op
from .activations import ACTIVATIONS
from .dense import linear


def gates(ctx, z, count):
    return ctx.op("Split", z, axis=-1, outputs=count)


def act(ctx, name, x):
    return ACTIVATIONS[name or "linear"](ctx, x)


def simple_rnn_step(layer, ctx, weights, units):
    recurrent = ctx.weight(weights["recurrent_kernel"], "recurrent_kernel")

    def step(projected, h):
        return [act(ctx, layer.activation, ctx.op("Add", projected, ctx.op("MatMul", h, recurrent)))]
    return step, 1


def lstm_step(layer, ctx, weights, units):
    recurrent = ctx.weight(weights["recurrent_kernel"], "recurrent_kernel")

    def step(projected, h, c):
        i, f, candidate, o = gates(ctx, ctx.op("Add", projected, ctx.op("MatMul", h, recurrent)), 4)
        i, f, o = (act(ctx, layer.recurrent_activation, g) for g in (i, f, o))
        c = ctx.op("Add", ctx.op("Mul", f, c), ctx.op("Mul", i, act(ctx, layer.activation, candidate)))
        return [ctx.op("Mul", o, act(ctx, layer.activation, c)), c]
    return step, 2


def gru_step(layer, ctx, weights, units):
    kernel = weights["recurrent_kernel"]
    gate_act, cand_act = (lambda g: act(ctx, layer.recurrent_activation, g)), (lambda g: act(ctx, layer.activation, g))
    if layer.reset_after:
        recurrent = ctx.weight(kernel, "recurrent_kernel")
        bias = weights.get("bias")
        recurrent_bias = None if bias is None else ctx.weight(bias.reshape(2, -1)[1], "recurrent_bias")

        def step(projected, h):
            rec = ctx.op("MatMul", h, recurrent)
            rec = rec if recurrent_bias is None else ctx.op("Add", rec, recurrent_bias)
            (pz, pr, ph), (rz, rr, rh) = gates(ctx, projected, 3), gates(ctx, rec, 3)
            update, reset = gate_act(ctx.op("Add", pz, rz)), gate_act(ctx.op("Add", pr, rr))
            candidate = cand_act(ctx.op("Add", ph, ctx.op("Mul", reset, rh)))
            return [ctx.op("Add", candidate, ctx.op("Mul", update, ctx.op("Sub", h, candidate)))]
        return step, 1
    gate_kernel = ctx.weight(kernel[:, : 2 * units], "recurrent_gate_kernel")
    candidate_kernel = ctx.weight(kernel[:, 2 * units:], "recurrent_candidate_kernel")

    def step(projected, h):
        pz, pr, ph = gates(ctx, projected, 3)
        rz, rr = gates(ctx, ctx.op("MatMul", h, gate_kernel), 2)
        update, reset = gate_act(ctx.op("Add", pz, rz)), gate_act(ctx.op("Add", pr, rr))
        candidate = cand_act(ctx.op("Add", ph, ctx.op("MatMul", ctx.op("Mul", reset, h), candidate_kernel)))
        return [ctx.op("Add", candidate, ctx.op("Mul", update, ctx.op("Sub", h, candidate)))]
    return step, 1


STEPS = {"SimpleRNN": simple_rnn_step, "LSTM": lstm_step, "GRU": gru_step}


def input_bias(layer, weights):
    bias = weights.get("bias")
    if bias is None or layer.kind != "GRU" or not layer.reset_after:
        return bias
    return bias.reshape(2, -1)[0]


@onnx_op("SimpleRNN", "LSTM", "GRU")
def recurrent(layer, info, inputs, weights, ctx):
    units, dtype, mask = layer.units, ctx.dtype, ctx.input_masks[0]
    projected = linear(ctx, inputs[0], weights["kernel"], input_bias(layer, weights))
    output, ctx.output = ctx.output, TensorType((None, units), dtype)  # the step's shapes, for the activations
    step, state_count = STEPS[layer.kind](layer, ctx, weights, units)
    width = weights["kernel"].shape[1]
    state, row = TensorType((None, units), dtype), TensorType((None, width), dtype)
    scanned = [("projected", row)] + ([("mask", TensorType((None,), "bool"))] if mask is not None else [])

    def body(*names):
        states, (projected_t, *mask_t) = list(names[:state_count]), names[state_count:]
        new = step(projected_t, *states)
        if mask_t:
            keep = ctx.op("Unsqueeze", mask_t[0], ctx.ints([1]))
            new = [ctx.op("Where", keep, n, s) for n, s in zip(new, states)]
        sequence = [(ctx.op("Identity", new[0]), state)] if layer.return_sequences else []
        return [(n, state) for n in new] + sequence

    graph = ctx.subgraph("step", [(f"state{i}", state) for i in range(state_count)] + scanned, body)
    ctx.output = output
    zeros = ctx.op("ConstantOfShape", ctx.op("Concat", ctx.op("Slice", ctx.op("Shape", inputs[0]), ctx.ints([0]),
                                                               ctx.ints([1])), ctx.ints([units]), axis=0),
                   value=ctx.tensor_attr(0.0))
    sequences = [projected] + ([mask] if mask is not None else [])
    direction = 1 if layer.go_backwards else 0
    axes = {"scan_output_axes": [1]} if layer.return_sequences else {}
    initial = inputs[1:] or [zeros] * state_count  # initial_state's references follow the sequence
    results = ctx.op("Scan", *initial, *sequences, body=graph, num_scan_inputs=len(sequences),
                     scan_input_axes=[1] * len(sequences), scan_input_directions=[direction] * len(sequences),
                     outputs=state_count + int(layer.return_sequences), **axes)
    results = [results] if isinstance(results, str) else results
    output = results[-1] if layer.return_sequences else results[0]
    states = [ctx.op("Identity", r) for r in results[:state_count]]  # a value of its own each: h may be the output
    return [output, *states] if layer.return_state else output  # Keras's [output, *states]


@onnx_mask("SimpleRNN", "LSTM", "GRU")
def sequence_mask(layer, info, inputs, masks, ctx):
    return masks[0] if layer.return_sequences else None
