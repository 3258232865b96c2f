"""`graphspec train SPEC --data train.npz [--val val.npz | --val-split F] [--epochs N] -o weights.npz`.

The spec's `training:` block says the loss, optimiser, metrics, epochs and batch size (the flags override the
last three). train.npz holds the inputs by name (`x` for a one-input model), the labels as `y`, and optionally a
weight per sample (or per output step) as `sample_weight`, which the loss and the weighted_metrics weigh. Every epoch
writes a checkpoint beside the weights (<weights>.checkpoint.npz: weights, optimiser state, generator, history),
atomically; `--resume` continues from it to the weights an uninterrupted run reaches. At the end, or on Ctrl-C
after the last completed epoch, the weights and the history (<weights>.history.csv or .json) are written.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import numpy as np

from . import atomic
from .array_files import writable, write_arrays
from .backends import available_backends, compile
from .diagnostics import RunError
from .run_command import EXIT_INVALID, EXIT_OK, EXIT_USAGE, _int_at_least
from .train_data import read_data


def add_train_parser(commands) -> None:
    train = commands.add_parser("train", help="train a spec's weights on arrays from an .npz file")
    train.add_argument("spec", metavar="SPEC", help="a spec file with a training: block")
    train.add_argument("--data", required=True, metavar="TRAIN", help=".npz with the inputs by name ('x' for one "
                       "input), the labels as 'y', and optionally 'sample_weight'")
    held_out = train.add_mutually_exclusive_group()
    held_out.add_argument("--val", metavar="VAL", help=".npz of validation data, as TRAIN")
    held_out.add_argument("--val-split", type=float, metavar="F", help="validate on the last fraction F of TRAIN")
    train.add_argument("--epochs", type=_int_at_least(1), help="epochs (default: the spec's)")
    train.add_argument("--batch-size", type=_int_at_least(1), help="samples per step (default: the spec's)")
    train.add_argument("--weights", "-w", metavar="W", help="starting weights (.npz); default: Keras's initial "
                       "weights from --seed")
    train.add_argument("--seed", type=_int_at_least(0), help="seed of the initial weights, shuffling and dropout "
                       "(default: the spec's)")
    train.add_argument("--output", "-o", required=True, metavar="OUT", help="the trained weights (.npz)")
    train.add_argument("--history-format", choices=("csv", "json"), default="csv")
    train.add_argument("--resume", action="store_true", help="continue from OUT's checkpoint")
    train.add_argument("--backend", default="numpy", help=f"execution backend (installed: "
                       f"{', '.join(available_backends())})")
    train.add_argument("--no-progress", action="store_true", help="no progress bar")
    train.set_defaults(run=cmd_train)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"graphspec train: error: {message}", file=sys.stderr)
    return code


def paths(output: str, history_format: str) -> tuple[Path, Path, Path]:
    out = writable(output, "weights", (".npz",))
    stem = out.with_suffix("")
    return out, Path(f"{stem}.checkpoint.npz"), Path(f"{stem}.history.{history_format}")


def write_history(history: dict, path: Path) -> None:
    """Per epoch: epoch, loss, metrics (val_ ones after), as CSV or JSON; written atomically like the weights."""
    rows = [{"epoch": i + 1, **{k: v[i] for k, v in history.items()}} for i in range(len(history.get("loss", [])))]
    if path.suffix == ".json":
        text = json.dumps(rows, indent=1)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["epoch", *history])
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    atomic.write_text(path, text)


def cmd_train(args) -> int:
    from .cli import check_file, print_diagnostics

    graph, diagnostics = check_file(args.spec)
    print_diagnostics(diagnostics, stream=sys.stderr)
    if graph is None or not graph.ok:
        return EXIT_USAGE if graph is None and any(d.code.value == "GS100" for d in diagnostics) else EXIT_INVALID
    training = graph.spec.training
    if training is None:
        return _fail(f"{args.spec} has no training: block (loss, optimizer...); add one, e.g.\n"
                     "training: {loss: sparse_categorical_crossentropy, optimizer: adam, epochs: 5}")
    try:
        return _train(args, graph, training)
    except (RunError, ValueError) as exc:
        return _fail(str(exc))


def _train(args, graph, training) -> int:
    out, checkpoint, history_path = paths(args.output, args.history_format)
    x, y, sample_weight = read_data(args.data, graph.inputs)
    validation = read_data(args.val, graph.inputs) if args.val else None
    seed = training.seed if args.seed is None else args.seed
    model = compile(graph, backend=args.backend, seed=seed, weights=args.weights)
    model.compile_training(training.loss, training.optimizer, training.metrics, seed=seed,
                           weighted_metrics=training.weighted_metrics)
    done, history = 0, {}
    if args.resume:
        if not checkpoint.exists():
            raise RunError(f"--resume: there is no checkpoint {checkpoint} to continue from")
        with np.load(checkpoint, allow_pickle=False) as saved:
            done, history = model.load_training_state(dict(saved), str(checkpoint))
    epochs = args.epochs or training.epochs

    def on_epoch_end(epoch, logs):
        for key, value in logs.items():
            history.setdefault(key, []).append(value)
        write_arrays(checkpoint, model.training_state(epoch + 1, history), "checkpoint", (".npz",))

    result = model.fit(x, y, epochs=epochs, batch_size=args.batch_size or training.batch_size,
                       shuffle=training.shuffle, validation_data=validation,
                       validation_split=0.0 if validation is not None else args.val_split if args.val_split is not None
                       else training.validation_split,
                       initial_epoch=done, progress=not args.no_progress, on_epoch_end=on_epoch_end,
                       sample_weight=sample_weight)
    model.save_weights(out)
    write_history(history, history_path)
    finished = len(history.get("loss", []))
    if result.interrupted:
        print(f"interrupted: wrote the weights of epoch {finished} to {out}; --resume continues", file=sys.stderr)
        return 130
    print(f"wrote {out} and {history_path} ({finished} epoch{'' if finished == 1 else 's'})", file=sys.stderr)
    return EXIT_OK
