"""`graphspec import-keras`: a Keras model read into a spec and its weights (export_command.py writes them back)."""
from __future__ import annotations

import sys
from pathlib import Path

from . import atomic
from .diagnostics import RunError, SpecError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_keras_parsers(commands) -> None:
    imports = commands.add_parser("import-keras", help="read a Keras model (.keras, .h5, a to_json() config or a "
                                  "TensorFlow.js model.json) into a spec and its weights")
    imports.add_argument("model", metavar="MODEL", help="the Keras model file")
    imports.add_argument("-o", "--output", required=True, metavar="SPEC", help="the spec to write (.yaml)")
    imports.add_argument("--weights-out", metavar="NPZ", help="also write the model's weights here (.npz)")
    imports.set_defaults(run=cmd_import_keras)


def _fail(command: str, message: str) -> int:
    print(f"graphspec {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def cmd_import_keras(args) -> int:
    from .array_files import writable, write_arrays
    from .cli import check_file, print_diagnostics
    from .keras import import_file
    from .keras.spec_yaml import to_yaml
    output = Path(args.output)
    try:
        writable(output, "the spec", (".yaml", ".yml"))
        if args.weights_out:
            writable(args.weights_out, "the weights", (".npz",))
        imported = import_file(args.model)
    except RunError as exc:
        return _fail("import-keras", str(exc))
    except SpecError as exc:  # the file cannot be read: one line, as for any unreadable input
        return _fail("import-keras", "; ".join(d.message + (f" ({d.hint})" if d.hint else "")
                                                for d in exc.diagnostics))
    atomic.write_text(output, to_yaml(imported))
    print(f"wrote {output} from {args.model}")
    if args.weights_out:
        if not imported.weights:
            print(f"{args.model} holds no weights: {args.weights_out} not written")
        else:
            write_arrays(args.weights_out, {f"{layer}/{w}": a for layer, ws in imported.weights.items()
                                            for w, a in ws.items()}, "weights", (".npz",))
            print(f"wrote {args.weights_out} ({sum(len(ws) for ws in imported.weights.values())} arrays)")
    graph, checked = check_file(str(output))
    failed = imported.failed_layers
    print_diagnostics(imported.diagnostics + [d for d in checked if d.layer not in failed])
    if graph is not None and graph.ok and not any(d.is_error for d in imported.diagnostics):
        print(graph.summary())
        return EXIT_OK
    return EXIT_INVALID
