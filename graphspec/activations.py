"""The activation names a spec may use, as Keras 3 spells them (keras.activations).

The checker only needs the names; each backend implements every one of them.
"""
ACTIVATIONS = (
    "linear",
    "relu",
    "relu6",
    "leaky_relu",
    "elu",
    "selu",
    "gelu",
    "sigmoid",
    "hard_sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "softplus",
    "softsign",
    "silu",
    "swish",
    "mish",
    "exponential",
)
