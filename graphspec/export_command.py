"""`graphspec export SPEC [--weights w.npz] -o model.onnx`: a checked spec written in another framework's format.

WRITERS maps a format to its file suffix and a writer (checked graph, weights, seed -> bytes), so a further format
(Keras's .keras, say) is one entry. The file is written to a temporary name and moved into place: a failed export
leaves an earlier file as it was.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .array_files import writable
from .diagnostics import RunError, SpecError
from .onnx import OnnxNotInstalled
from .run_command import EXIT_INVALID, EXIT_OK, EXIT_USAGE, _int_at_least


def write_onnx(graph, weights, seed: int) -> bytes:
    from .onnx import to_onnx
    return to_onnx(graph, weights, seed).SerializeToString()


WRITERS = {"onnx": (".onnx", write_onnx)}  # format -> (suffix, writer)


def add_export_parser(commands) -> None:
    export = commands.add_parser("export", help="write a spec (with its weights) as an ONNX model")
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
    by_suffix = {suffix: name for name, (suffix, _) in WRITERS.items()}
    suffix = Path(path).suffix
    if suffix not in by_suffix:
        raise RunError(f"cannot tell the format of {path!r} from its suffix: name a file ending in "
                       f"{' or '.join(by_suffix)}, or give --format")
    return by_suffix[suffix]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
            try:
                handle.write(data)
                os.chmod(handle.name, 0o666 & ~_umask())  # as an ordinary new file, not the temporary's 0600
            except BaseException:
                os.unlink(handle.name)
                raise
        os.replace(handle.name, path)
    except OSError as exc:
        raise RunError(f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_export(args) -> int:
    from .cli import check_file, print_diagnostics  # the check step is the same as `graphspec check`'s

    try:
        name = output_format(args.output, args.format)
        path = writable(args.output, "export", (WRITERS[name][0],))
    except RunError as exc:
        return _fail(str(exc))
    graph, diagnostics = check_file(args.spec)
    print_diagnostics(diagnostics, stream=sys.stderr)
    if graph is None or not graph.ok:
        return EXIT_USAGE if graph is None and any(d.code.value == "GS100" for d in diagnostics) else EXIT_INVALID
    try:
        write_atomically(path, WRITERS[name][1](graph, args.weights, args.seed))
    except OnnxNotInstalled as exc:
        return _fail(str(exc))
    except SpecError as exc:  # a layer the format cannot express exactly (GS950)
        print_diagnostics(exc.errors, stream=sys.stderr)
        return EXIT_INVALID
    except (RunError, ValueError) as exc:
        return _fail(str(exc))
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK
