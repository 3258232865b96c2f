"""The diagnostics an import or export reports: one per problem, naming the layer, its class, the argument and the
value, so that a user sees everything at once (codes GS970-GS989)."""
from __future__ import annotations

from ..diagnostics import Code, Diagnostic, SpecError, error, warning

INSTALL_HINT = "pip install graphspec[keras]"


class KerasFileError(SpecError):
    """A model file that cannot be read at all (GS970): raised, since nothing else can be reported about it."""

    def __init__(self, path, message: str, hint: str | None = None):
        super().__init__([error(Code.IMPORT_UNREADABLE, message, hint, file=str(path))])


class Problems:
    """Collects an import's diagnostics, each about one Keras layer."""

    def __init__(self, file: str | None):
        self.file = file
        self.found: list[Diagnostic] = []

    def _add(self, make, code: Code, layer: str | None, message: str, hint: str | None):
        self.found.append(make(code, message, hint, file=self.file, layer=layer))

    def error(self, code: Code, layer: str | None, message: str, hint: str | None = None) -> None:
        self._add(error, code, layer, message, hint)

    def warning(self, code: Code, layer: str | None, message: str, hint: str | None = None) -> None:
        self._add(warning, code, layer, message, hint)

    def failed_layers(self) -> set[str]:
        return {d.layer for d in self.found if d.is_error and d.layer}


def need_h5py(what: str):
    """h5py, or a one-line error saying how to install it."""
    try:
        import h5py
    except ImportError:
        raise KerasFileError(what, f"reading or writing {what} needs h5py, which is not installed",
                             INSTALL_HINT) from None
    return h5py
