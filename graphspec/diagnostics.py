"""Diagnostics are data: every stage collects them, only the API boundary raises and only the CLI prints."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import Enum


class Code(str, Enum):
    """Stable codes, one per kind of problem, so tools and tests can match on them."""

    # reading the file
    UNREADABLE = "GS100"
    TOO_LARGE = "GS101"
    NOT_UTF8 = "GS102"
    SYNTAX = "GS103"
    UNSAFE_TAG = "GS104"
    ALIAS_BOMB = "GS105"
    DUPLICATE_KEY = "GS106"
    NOT_A_MAPPING = "GS107"
    # the schema
    VERSION = "GS200"
    UNKNOWN_TYPE = "GS201"
    UNKNOWN_FIELD = "GS202"
    MISSING_FIELD = "GS203"
    INVALID_VALUE = "GS204"
    BARE_SHAPE = "GS205"
    MISPLACED_FIELD = "GS206"
    KERAS_REFUSES = "GS207"
    DEPRECATED_FIELD = "GS208"
    CONFLICTING_FIELDS = "GS209"
    # the wiring
    DUPLICATE_NAME = "GS300"
    UNKNOWN_REFERENCE = "GS301"
    CYCLE = "GS302"
    UNUSED_INPUT = "GS303"
    UNREACHABLE_LAYER = "GS304"
    NO_INPUT = "GS305"
    INPUT_COUNT = "GS306"
    UNKNOWN_OUTPUT = "GS307"  # `encoder:5` or `encoder:state_x`: the layer has no such output
    # shapes
    RANK = "GS400"
    SHAPE_MISMATCH = "GS401"
    EMPTY_OUTPUT = "GS402"
    RESHAPE_SIZE = "GS403"
    UNKNOWN_DIMENSION = "GS404"
    BAD_AXIS = "GS405"
    # wrappers (TimeDistributed, Bidirectional) and their nested layers
    WRAPPED_TYPE = "GS410"  # a layer type the wrapper cannot wrap
    WRAPPED_FIELD = "GS411"  # a field of the nested layer that belongs on the wrapper (inputs, input_shape...)
    DIRECTIONS_DISAGREE = "GS412"  # Bidirectional's layer and backward_layer disagree where Keras needs them alike
    MERGE_SIZES = "GS413"  # sum, mul or ave of directions of different sizes
    NEEDS_MULTI_OUTPUT = "GS414"  # several outputs (merge_mode null, return_state), not wired yet
    # dtypes
    EMBEDDING_NEEDS_INTEGERS = "GS500"
    IMPLICIT_CAST = "GS501"
    DTYPE_MISMATCH = "GS502"
    # weights and design advice
    TABLE_SIZE = "GS600"
    DECOMPOSITION_COSTS_MORE = "GS601"
    TABLE_FILE = "GS602"
    HUGE_LAYER = "GS603"
    SOFTMAX_OF_ONE = "GS604"
    UNPOOLED_OUTPUT = "GS605"
    IGNORED_FIELD = "GS606"
    HUGE_OUTPUT = "GS607"
    UNFIT_WEIGHT_OPTION = "GS608"  # an initializer or constraint that cannot serve its weight's shape (an error)
    KERAS_DIFFERS = "GS609"  # valid, but Keras 3 computes it otherwise (a warning)

    ONNX_UNSUPPORTED = "GS950"  # a layer whose Keras semantics ONNX cannot express exactly: export refuses it


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: Code
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    layer: str | None = None  # the node the diagnostic is about: a layer's name, or an input's
    node_kind: str = "layer"  # "layer" or "input": how the text names that node

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, **where) -> "Diagnostic":
        return replace(self, **where)

    def format(self) -> str:
        """Compiler style: `specs/bad.yaml:14:7: error[GS401]: message`, then the hint indented. Without a text (a
        spec or layer built in Python) the place is the path inside it: `layers[1]`, `Dense.unitz`."""
        parts = (self.file or "<spec>", self.line, self.column)
        place = ":".join(str(p) for p in parts if p is not None) if self.file or self.line else self.path or "<spec>"
        subject = f"{self.node_kind} {self.layer!r}: " if self.layer else ""  # repr: a line break stays escaped
        text = f"{place}: {self.severity.value}[{self.code.value}]: {subject}{self.message}"
        return text + (f"\n    hint: {self.hint}" if self.hint else "")

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"], data["code"] = self.severity.value, self.code.value
        data["node_kind"] = self.node_kind if self.layer else None  # about no node: no kind either
        return data


def error(code: Code, message: str, hint: str | None = None, **where) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, hint, **where)


def warning(code: Code, message: str, hint: str | None = None, **where) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, hint, **where)


class SpecError(Exception):
    """Raised by the Python API when a spec has errors; `diagnostics` holds all of them, warnings included."""

    def __init__(self, diagnostics: list[Diagnostic], graph=None):
        self.diagnostics = list(diagnostics)
        self.graph = graph
        errors = [d for d in self.diagnostics if d.is_error]
        super().__init__(f"{len(errors)} error(s):\n" + "\n".join(d.format() for d in errors))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


class RunError(ValueError):
    """Bad input, weights or indices when a compiled model runs; the message says what and how to fix it."""
