"""Batches for predict, with tqdm's bar on long runs."""
from __future__ import annotations

import numpy as np
from tqdm import tqdm

from graphspec.diagnostics import RunError

SHOW_AFTER_SECONDS = 1.0


def batches(count: int, batch_size: int, progress: bool):
    """(start, stop) pairs covering `count` samples; the bar shows only once a run has taken a second."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise RunError(f"batch_size must be a whole number of at least 1, got {batch_size!r}")
    with tqdm(total=count, unit="sample", delay=SHOW_AFTER_SECONDS, disable=not progress, leave=False) as bar:
        for start in range(0, count, batch_size):
            stop = min(start + batch_size, count)
            yield start, stop
            bar.update(stop - start)
