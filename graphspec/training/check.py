"""What `graphspec check` knows about training, before any run: a loss that cannot fit the model's output,
from_logits against the output's activation, a model with nothing to train, several outputs."""
from __future__ import annotations

from ..diagnostics import Code, Diagnostic, error, warning
from ..source import Document

PROBABILITIES = {"softmax", "sigmoid"}
CROSSENTROPIES = {"BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy"}


def output_activation(layer) -> str | None:
    """The activation the output layer ends with: its activation field, an Activation layer's, or Softmax."""
    if layer is None:
        return None
    if layer.kind == "Softmax":
        return "softmax"
    return getattr(layer, "activation", None)


def training_diagnostics(graph, document: Document) -> list[Diagnostic]:
    training = graph.spec.training if graph.spec is not None else None
    if training is None or any(d.is_error and not (d.path or "").startswith("training") for d in graph.diagnostics):
        return []  # the model itself has errors: its output is not known
    at = document.where
    if len(graph.outputs) != 1:
        return [error(Code.TRAINING_OUTPUTS, f"training: the model has {len(graph.outputs)} outputs; graphspec "
                      "trains a model of one output", "list one layer in outputs:", **at(("training",)))]
    found = []
    if graph.trainable_params == 0:
        found.append(error(Code.NOTHING_TRAINABLE, "training: the model has nothing to train (every weight is "
                           "frozen or there are none)", "set trainable: true on the layers to train",
                           **at(("training",))))
    name = graph.outputs[0]  # a reference: `encoder:state_h` is the encoder's state, which no activation ends
    units = graph.tensor(name).shape[-1]
    activation = output_activation(graph[name].layer) if name in graph.nodes else None
    found.extend(_loss_diagnostics(training.loss, name, units, activation, at))
    return found


def _loss_diagnostics(loss, output: str, units, activation, at) -> list[Diagnostic]:
    kind, where = type(loss).__name__, at(("training", "loss"))
    shown = f"'{output}' ({units} unit{'s' * (units != 1)}{f', {activation}' if activation else ''})"
    if kind in ("CategoricalCrossentropy", "SparseCategoricalCrossentropy") and units == 1:
        return [error(Code.LOSS_UNFIT, f"training: {loss.type} needs an output of one unit per class, but {shown} "
                      "has one: the loss is always 0", "use binary_crossentropy for one yes/no output, or give "
                      "the output layer a unit per class", **where)]
    if kind == "BinaryCrossentropy" and activation == "softmax" and units and units > 1:
        return [error(Code.LOSS_UNFIT, f"training: binary_crossentropy on {shown}: a softmax over {units} classes "
                      "is one choice among classes, which binary cross-entropy scores as independent yes/no "
                      "outputs", "use categorical_crossentropy (one-hot labels) or "
                      "sparse_categorical_crossentropy (class ids), or a sigmoid output", **where)]
    if kind not in CROSSENTROPIES:
        return []
    if loss.from_logits and activation in PROBABILITIES:
        return [error(Code.LOGITS_MISMATCH, f"training: from_logits: true, but {shown} already gives "
                      "probabilities: the loss would apply a second softmax", "remove the output's activation "
                      "(logits out), or set from_logits: false", **where)]
    if not loss.from_logits and activation not in PROBABILITIES:
        return [warning(Code.LOGITS_MISMATCH, f"training: {loss.type} reads {shown} as probabilities, but it "
                        "has no softmax or sigmoid: its values are unbounded", "set from_logits: true, or give "
                        "the output layer a softmax (sigmoid for binary_crossentropy)", **where)]
    return []
