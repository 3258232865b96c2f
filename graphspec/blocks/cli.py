"""The command-line options that unfold block uses: `check --expand`, `check --depth N`."""
from __future__ import annotations

import argparse


def depth(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"--depth takes a whole number of 1 or more (levels of block uses), "
                                         f"got {text!r}")
    return value


def add_depth_argument(command: argparse.ArgumentParser, shown: str = "diagram") -> None:
    command.add_argument("--depth", type=depth, default=1, metavar="N", help=f"a spec with blocks: unfold block "
                         f"uses to N levels in the {shown} (default 1: each top-level use folded)")


def add_fold_arguments(check: argparse.ArgumentParser) -> None:
    add_depth_argument(check, "summary")
    check.add_argument("--expand", action="store_true", help="a spec with blocks: one row per layer, every block "
                       "use unfolded")
