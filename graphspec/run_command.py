"""`graphspec run SPEC --input x.npy [--weights w.npz] -o y.npy`: check, compile and run a spec on arrays."""
from __future__ import annotations

import argparse
import sys

import numpy as np

from .array_files import read_arrays, writable, write_arrays
from .backends import available_backends, compile
from .diagnostics import RunError

# 1 only when the spec has errors, as for `graphspec check`; a wrong argument, file or array is 2.
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _int_at_least(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below {minimum}")
        return value
    return parse


def add_run_parser(commands) -> None:
    run = commands.add_parser("run", help="run a spec on arrays from .npy/.npz files")
    run.add_argument("spec", metavar="SPEC", help="a spec file (.yaml, .yml or .json)")
    run.add_argument("--input", "-i", required=True, metavar="X", help=".npy for a one-input model; "
                     ".npz with one array per input name for several")
    run.add_argument("--weights", "-w", metavar="W", help=".npz of 'layer/weight' arrays (Model.save_weights); "
                     "default: Keras's initial weights from --seed")
    run.add_argument("--output", "-o", metavar="Y", help=".npy (one output) or .npz (by output name); "
                     "default: print the outputs' shapes and first rows")
    run.add_argument("--seed", type=_int_at_least(0), default=0, help="seed of the initial weights (default 0)")
    run.add_argument("--batch-size", type=_int_at_least(1), default=256, help="samples per batch (default 256)")
    run.add_argument("--backend", default="numpy", help=f"execution backend (installed: {', '.join(available_backends())})")
    run.add_argument("--no-progress", action="store_true",
                     help="never show a progress bar (it shows only on a terminal, for runs over a second)")
    run.set_defaults(run=cmd_run)


def _fail(message: str, code: int) -> int:
    print(f"graphspec run: error: {message}", file=sys.stderr)
    return code


def read_inputs(path: str, input_names: list[str]):
    """An array, or a dict by input name; a one-array .npz feeds a one-input model whatever its key."""
    arrays = read_arrays(path, "inputs")
    if isinstance(arrays, np.ndarray):
        if len(input_names) > 1:
            raise RunError(f"the model has {len(input_names)} inputs ({', '.join(input_names)}) but {path} holds one "
                           f"array: give an .npz with one array per input name, e.g. np.savez(path, "
                           + ", ".join(f"{n}=..." for n in input_names) + ")")
        return arrays
    if len(arrays) == 1 and len(input_names) == 1:
        return next(iter(arrays.values()))
    return arrays


def check_output_path(path: str, output_names: list[str]) -> None:
    """Before the run: a file can be written at `path`, and an .npy only for a one-output model."""
    if writable(path, "output").suffix == ".npy" and len(output_names) > 1:
        raise RunError(f"the model has {len(output_names)} outputs ({', '.join(output_names)}): "
                       "write them to an .npz file")


def write_outputs(outputs, path: str) -> None:
    as_archive = path.endswith(".npz") and not isinstance(outputs, dict)
    write_arrays(path, {"output": outputs} if as_archive else outputs, "output")


def _preview(outputs) -> None:
    for name, array in (outputs if isinstance(outputs, dict) else {"output": outputs}).items():
        print(f"{name}: shape {array.shape}, dtype {array.dtype}")
        print(np.array2string(array[:3], precision=4, suppress_small=True, threshold=60))


def cmd_run(args) -> int:
    from .cli import check_file, print_diagnostics  # the check step is the same as `graphspec check`'s

    graph, diagnostics = check_file(args.spec)
    print_diagnostics(diagnostics, stream=sys.stderr)
    if graph is None or not graph.ok:
        return EXIT_USAGE if graph is None and any(d.code.value == "GS100" for d in diagnostics) else EXIT_INVALID
    try:
        inputs = read_inputs(args.input, graph.inputs)
        if args.output is not None:
            check_output_path(args.output, graph.outputs)
        model = compile(graph, backend=args.backend, seed=args.seed, weights=args.weights)
        progress = not args.no_progress and sys.stderr.isatty()
        outputs = model.predict(inputs, batch_size=args.batch_size, progress=progress)
        write_outputs(outputs, args.output) if args.output is not None else _preview(outputs)
    except (RunError, ValueError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    if args.output is not None:
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK
