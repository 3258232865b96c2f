"""`graphspec run SPEC --input x.npy [--weights w.npz] -o y.npy`: check, compile and run a spec on arrays."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from .backends import available_backends, compile
from .diagnostics import RunError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_run_parser(commands) -> None:
    run = commands.add_parser("run", help="run a spec on arrays from .npy/.npz files")
    run.add_argument("spec", metavar="SPEC", help="a spec file (.yaml, .yml or .json)")
    run.add_argument("--input", "-i", required=True, metavar="X", help=".npy for a one-input model; "
                     ".npz with one array per input name for several")
    run.add_argument("--weights", "-w", metavar="W", help=".npz of 'layer/weight' arrays (Model.save_weights); "
                     "default: Keras's initial weights from --seed")
    run.add_argument("--output", "-o", metavar="Y", help=".npy (one output) or .npz (by output name); "
                     "default: print the outputs' shapes and first rows")
    run.add_argument("--seed", type=int, default=0, help="seed of the initial weights (default 0)")
    run.add_argument("--batch-size", type=int, default=256, help="samples per batch (default 256)")
    run.add_argument("--backend", default="numpy", help=f"execution backend (installed: {', '.join(available_backends())})")
    run.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    run.set_defaults(run=cmd_run)


def _fail(message: str, code: int) -> int:
    print(f"graphspec run: error: {message}", file=sys.stderr)
    return code


def read_inputs(path: str, input_names: list[str]):
    """An array, or a dict by input name; a one-array .npz feeds a one-input model whatever its key."""
    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise RunError(f"cannot read inputs from {path}: {exc}") from None
    if isinstance(loaded, np.ndarray):
        return loaded
    with loaded:
        arrays = {key: loaded[key] for key in loaded.files}
    if len(arrays) == 1 and len(input_names) == 1:
        return next(iter(arrays.values()))
    return arrays


def write_outputs(outputs, path: str) -> None:
    if Path(path).suffix == ".npz":
        np.savez(path, **(outputs if isinstance(outputs, dict) else {"output": outputs}))
    elif isinstance(outputs, dict):
        raise RunError(f"the model has {len(outputs)} outputs ({', '.join(outputs)}): write them to an .npz file")
    else:
        np.save(path, outputs)


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
    except RunError as exc:
        return _fail(str(exc), EXIT_USAGE)
    try:
        model = compile(graph, backend=args.backend, seed=args.seed, weights=args.weights)
        outputs = model.predict(inputs, batch_size=args.batch_size, progress=not args.no_progress)
        write_outputs(outputs, args.output) if args.output else _preview(outputs)
    except (RunError, ValueError) as exc:
        return _fail(str(exc), EXIT_INVALID)
    if args.output:
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK
