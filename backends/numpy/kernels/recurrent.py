import numpy as np

from ..initializers import draw
from ..ops.recurrent import gru, gru_reset_before, lstm, simple_rnn
from ..ops.recurrent_backward import dropout_mask, train_scan
from ..ops.recurrent_cells import GRUCell, GRUResetBeforeCell, LSTMCell, SimpleRNNCell
from .base import Gradients, Kernel, kernel


class RecurrentKernel(Kernel):
    """Consumes a mask_zero mask (masked steps carry the state over); passes it on only with return_sequences.

    go_backwards reads the steps (and the mask) last to first, as Keras 3 does; with return_sequences the outputs
    stay in that reading order, and the mask passed on is the input's, unreversed, as Keras passes it.
    unroll changes nothing here, and dropout / recurrent_dropout are the identity outside training.
    The inputs after the sequence are the initial states; with return_state the last states follow the output.
    """

    def step_function(self):
        raise NotImplementedError

    def gate_arguments(self) -> dict:
        """LSTM and GRU gates have their own activation; SimpleRNN has no gates."""
        return {"recurrent_activation": self.layer.recurrent_activation}

    def forward(self, inputs, masks):
        layer, w = self.layer, self.weights
        x, mask = inputs[0], masks[0]
        if layer.go_backwards:
            x, mask = x[:, ::-1], None if mask is None else mask[:, ::-1]
        return self.step_function()(x, w["kernel"], w["recurrent_kernel"], w.get("bias"),
                                    activation=layer.activation or "linear", return_sequences=layer.return_sequences,
                                    mask=mask, initial_state=inputs[1:] or None, return_state=layer.return_state,
                                    **self.gate_arguments())

    cell = SimpleRNNCell

    def training_cell(self, dtype):
        """The cell that trains, and the projection's bias (None without one)."""
        w = self.weights
        return (self.cell(w["recurrent_kernel"].astype(dtype), self.layer.activation or "linear",
                          getattr(self.layer, "recurrent_activation", None)), w.get("bias"))

    def bias_gradient(self, grads):
        return grads["bias"]

    def train_forward(self, inputs, masks, training):
        """Backpropagation through time; the initial states (inputs after the sequence) get their gradients."""
        layer, x, mask = self.layer, inputs[0], masks[0]
        x = x if x.dtype.kind == "f" else x.astype(np.float32)
        if layer.go_backwards:
            x, mask = x[:, ::-1], None if mask is None else mask[:, ::-1]
        cell, bias = self.training_cell(x.dtype)
        keep_input = dropout_mask(training.rng, (x.shape[0], x.shape[2]), layer.dropout, x.dtype)
        keep_recurrent = dropout_mask(training.rng, (x.shape[0], layer.units), layer.recurrent_dropout, x.dtype)
        result, scan_backward = train_scan(x, self.weights["kernel"].astype(x.dtype), bias, cell,
                                           layer.return_sequences, mask, inputs[1:] or None, layer.return_state,
                                           keep_input, keep_recurrent)

        def backward(d_result):
            dx, d_initial, grads = scan_backward(d_result)
            weights = {}
            if training.weight_grads:
                weights = {"kernel": grads["kernel"], "recurrent_kernel": grads["recurrent_kernel"]}
                weights.update({"bias": self.bias_gradient(grads)} if "bias" in self.weights else {})
            d_inputs = [dx[:, ::-1] if layer.go_backwards else dx, *d_initial[:len(inputs) - 1]]
            return Gradients([d if training.needs(i) else None for i, d in enumerate(d_inputs)], weights)
        return result, backward

    def output_mask(self, inputs, masks):
        """The mask of the first output; the states carry none."""
        return masks[0] if self.layer.return_sequences else None


@kernel("SimpleRNN")
class SimpleRNNKernel(RecurrentKernel):
    def step_function(self):
        return simple_rnn

    def gate_arguments(self):
        return {}


@kernel("LSTM")
class LSTMKernel(RecurrentKernel):
    cell = LSTMCell

    def step_function(self):
        return lstm

    @classmethod
    def initial_weights(cls, layer, shapes, rng, base_dir):
        """Keras's unit_forget_bias: the bias is bias_initializer((units,)) for gate i, ones for f, and
        bias_initializer((2·units,)) for c and o, drawn in that order."""
        weights = super().initial_weights(layer, {k: s for k, s in shapes.items() if k != "bias"}, rng, base_dir)
        if "bias" not in shapes:
            return weights
        if not layer.unit_forget_bias:
            return weights | super().initial_weights(layer, {"bias": shapes["bias"]}, rng, base_dir)
        units, option = layer.units, layer.initializer_for("bias")
        parts = [draw(option, (units,), rng), np.ones(units, np.float32), draw(option, (2 * units,), rng)]
        return weights | {"bias": np.concatenate(parts)}


@kernel("GRU")
class GRUKernel(RecurrentKernel):
    def step_function(self):
        return gru if self.layer.reset_after else gru_reset_before

    def training_cell(self, dtype):
        w, layer = self.weights, self.layer
        if not layer.reset_after:
            return GRUResetBeforeCell(w["recurrent_kernel"].astype(dtype), layer.activation or "linear",
                                      layer.recurrent_activation), w.get("bias")
        units = layer.units
        bias = np.zeros((2, 3 * units), dtype) if "bias" not in w else w["bias"].astype(dtype).reshape(2, 3 * units)
        cell = GRUCell(w["recurrent_kernel"].astype(dtype), layer.activation or "linear", layer.recurrent_activation,
                       bias[1])
        return cell, bias[0]

    def bias_gradient(self, grads):
        if not self.layer.reset_after:
            return grads["bias"]
        return np.stack([grads["bias"], grads["recurrent_bias"]]).reshape(self.weights["bias"].shape)
