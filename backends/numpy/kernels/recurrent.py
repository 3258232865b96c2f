import numpy as np

from ..initializers import draw
from ..ops.recurrent import gru, gru_reset_before, lstm, simple_rnn
from .base import Kernel, kernel


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
