"""The Embedding backward (ops.row_gradient.RowGradient) against np.add.at, NumPy's plain scatter of the same rows (the
floor), and torch's index_add_ when /tmp/kerasvenv's torch is importable, timed in one run (bench_tools.race), at
the issue's sizes: 256 × 200 ids into 20,000 × 128 and 100,000 × 300 tables, with uniform ids and with
Zipf-distributed ones (real text: a few ids very often).

    .venv/bin/python benchmarks/embedding_gradient.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tools import race  # noqa: E402

from graphspec_backends.numpy.ops.row_gradient import RowGradient  # noqa: E402

SIZES = [(20_000, 128), (100_000, 300)]
BATCH, STEPS = 256, 200


def torch_index_add():
    """torch's index_add_ into a reused zeroed table, or None without torch."""
    try:
        sys.path.append(next(str(p) for p in Path("/tmp/kerasvenv/lib").glob("python3*/site-packages")))
        import torch
    except (ImportError, StopIteration):
        return None

    def make(ids, rows, table):
        ids_t, rows_t, out = torch.from_numpy(ids), torch.from_numpy(rows), torch.zeros(table)
        return lambda: out.zero_().index_add_(0, ids_t, rows_t)
    return make


def contestants(ids, rows, size, torch_make):
    table, ours = np.zeros((size, rows.shape[1]), np.float32), RowGradient()
    expected = table.copy()
    np.add.at(expected, ids, rows)
    assert np.allclose(ours(ids, rows, size), expected, atol=1e-3), "RowGradient differs from np.add.at"
    scattered = np.zeros_like(table)
    calls = {"np.add.at": lambda: (table.fill(0), np.add.at(table, ids, rows)),
             "RowGradient": lambda: ours(ids, rows, size),
             # the same rows written to the same places without adding (the last write wins): NumPy's own scatter,
             # a floor no scatter-add in NumPy can beat, since it must also read what it adds to
             "floor": lambda: scattered.__setitem__(ids, rows)}
    if torch_make is not None:
        calls["torch index_add_"] = torch_make(ids, rows, (size, rows.shape[1]))
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args, rng, torch_make = parser.parse_args(), np.random.default_rng(0), torch_index_add()
    print(f"{'table':>14} {'ids':>8} {'np.add.at':>10} {'ours':>8} {'floor':>8} {'torch':>8} {'add.at/ours':>12} "
          f"{'add.at/floor':>13} {'ours/torch':>11}")
    for size, dim in SIZES:
        for distribution in ("uniform", "zipf"):
            count = BATCH * STEPS
            ids = rng.integers(0, size, count) if distribution == "uniform" else \
                np.minimum(rng.zipf(1.2, count) - 1, size - 1)
            rows = rng.standard_normal((count, dim), dtype=np.float32)
            best = race(contestants(ids, rows, size, torch_make), args.repeat)
            torch_ms = best.get("torch index_add_", float("nan")) * 1e3
            print(f"{size:>7,} × {dim:<4} {distribution:>8} {best['np.add.at'] * 1e3:>8.1f}ms "
                  f"{best['RowGradient'] * 1e3:>6.1f}ms {best['floor'] * 1e3:>6.1f}ms {torch_ms:>6.1f}ms "
                  f"{best['np.add.at'] / best['RowGradient']:>11.1f}× {best['np.add.at'] / best['floor']:>12.1f}× "
                  f"{best['RowGradient'] * 1e3 / torch_ms:>10.1f}×")


if __name__ == "__main__":
    main()
