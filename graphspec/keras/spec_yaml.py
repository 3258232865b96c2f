"""An imported spec document as readable YAML: a header naming the source, its Keras version and every mapping
the import made, then the spec with one short layer per line."""
from __future__ import annotations

import yaml

from .importer import Imported

KINDS = {"keras": "Keras 3 archive", "h5": "Keras HDF5 model", "json": "Keras JSON config",
         "tfjs": "TensorFlow.js model.json"}


def header(imported: Imported) -> list[str]:
    source = imported.source
    version = f"Keras {source.keras_version}" if source.keras_version else "Keras version not recorded"
    lines = [f"Imported by graphspec import-keras from {source.path} ({KINDS[source.kind]}, {version})."]
    if imported.notes:
        lines += ["Read in Keras 3's terms:", *(f"  - {note}" for note in imported.notes)]
    problems = [d for d in imported.diagnostics if d.is_error]
    if problems:
        lines += ["Not imported (fix these by hand; `graphspec check` reports them too):",
                  *(f"  - {d.layer}: {d.message}" for d in problems)]
    return lines


def to_yaml(imported: Imported) -> str:
    body = yaml.safe_dump(imported.document, sort_keys=False, default_flow_style=None, width=120, allow_unicode=True)
    return "".join(f"# {line}\n" for line in header(imported)) + body
