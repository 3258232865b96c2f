from ..ops.recurrent import gru, gru_reset_before, lstm, simple_rnn
from .base import Kernel, kernel


class RecurrentKernel(Kernel):
    """Consumes a mask_zero mask (masked steps carry the state over); passes it on only with return_sequences."""

    def step_function(self):
        raise NotImplementedError

    def gate_arguments(self) -> dict:
        """LSTM and GRU gates have their own activation; SimpleRNN has no gates."""
        return {"recurrent_activation": self.layer.recurrent_activation}

    def forward(self, inputs, masks):
        layer, w = self.layer, self.weights
        return self.step_function()(inputs[0], w["kernel"], w["recurrent_kernel"], w.get("bias"),
                                    activation=layer.activation or "linear", return_sequences=layer.return_sequences,
                                    mask=masks[0], **self.gate_arguments())

    def output_mask(self, inputs, masks):
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
        """Keras's unit_forget_bias: the forget gate's bias starts at 1, the others at 0."""
        weights = super().initial_weights(layer, shapes, rng, base_dir)
        if "bias" in weights:
            units = shapes["bias"][0] // 4
            weights["bias"][units:2 * units] = 1
        return weights


@kernel("GRU")
class GRUKernel(RecurrentKernel):
    def step_function(self):
        return gru if self.layer.reset_after else gru_reset_before
