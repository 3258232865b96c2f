"""`graphspec export SPEC [--weights w.npz] -o model.onnx`: a checked spec written in another framework's format.

WRITERS maps a format to its file suffixes and a writer (checked graph, weights, seed, path), so a further format is
one entry. Each writes atomically (atomic.py): a failed export leaves an earlier file as it was.
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import atomic
from .array_files import writable
from .diagnostics import RunError, SpecError
from .onnx import OnnxNotInstalled
from .run_command import EXIT_INVALID, EXIT_OK, EXIT_USAGE, _int_at_least


def write_onnx(graph, weights, seed: int, path: Path) -> None:
    from .onnx import to_onnx
    atomic.write_bytes(path, to_onnx(graph, weights, seed).SerializeToString())


def write_keras_file(graph, weights, seed: int, path: Path) -> None:
    from .keras.export import starting_weights, write_keras
    write_keras(graph, starting_weights(graph, weights, seed), path)


# format -> (suffixes, writer); the first suffix is the one a format is told by
WRITERS = {"onnx": ((".onnx",), write_onnx), "keras": ((".keras", ".h5"), write_keras_file),
           "keras-json": ((".json",), write_keras_file)}


def add_export_parser(commands) -> None:
    export = commands.add_parser("export", help="write a spec (with its weights) as an ONNX model or a Keras model "
                                 "(.keras, legacy .h5, or the bare .json config)")
    export.add_argument("spec", metavar="SPEC", help="a spec file (.yaml, .yml or .json)")
    export.add_argument("--output", "-o", required=True, metavar="FILE", help="the file to write, e.g. model.onnx")
    export.add_argument("--format", choices=sorted(WRITERS), help="default: from the output's suffix")
    export.add_argument("--weights", "-w", metavar="W", help=".npz of 'layer/weight' arrays (Model.save_weights); "
                        "default: Keras's initial weights from --seed")
    export.add_argument("--seed", type=_int_at_least(0), default=0, help="seed of the initial weights (default 0)")
    export.set_defaults(run=cmd_export)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"graphspec export: error: {message}", file=sys.stderr)
    return code


def output_format(path: str, given: str | None) -> str:
    if given is not None:
        return given
    by_suffix = {suffix: name for name, (suffixes, _) in WRITERS.items() for suffix in suffixes}
    suffix = Path(path).suffix
    if suffix not in by_suffix:
        raise RunError(f"cannot tell the format of {path!r} from its suffix: name a file ending in "
                       f"{' or '.join(by_suffix)}, or give --format")
    return by_suffix[suffix]


def cmd_export(args) -> int:
    from .cli import check_file, print_diagnostics  # the check step is the same as `graphspec check`'s

    try:
        name = output_format(args.output, args.format)
        path = writable(args.output, "export", WRITERS[name][0])
    except RunError as exc:
        return _fail(str(exc))
    graph, diagnostics = check_file(args.spec)
    print_diagnostics(diagnostics, stream=sys.stderr)
    if graph is None or not graph.ok:
        return EXIT_USAGE if graph is None and any(d.code.value == "GS100" for d in diagnostics) else EXIT_INVALID
    try:
        WRITERS[name][1](graph, args.weights, args.seed, path)
    except OnnxNotInstalled as exc:
        return _fail(str(exc))
    except SpecError as exc:  # a layer the format cannot express exactly (GS950, GS980)
        print_diagnostics(exc.errors, stream=sys.stderr)
        return EXIT_INVALID
    except (RunError, ValueError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK
