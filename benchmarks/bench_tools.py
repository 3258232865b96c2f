"""Measuring helpers for the model benchmark: interleaved best-of-N timing, matmul GFLOP/s, peak memory, BLAS info."""
from __future__ import annotations

import math
import os
import time
import tracemalloc

import numpy as np

TURN_SECONDS = 0.1  # a contestant faster than this per call is called several times in a turn, up to MAX_CALLS
MAX_CALLS = 1000  # a 25 us call gets 1000 timings a turn, not 50: its best is then a quiet one
# Thread pools spin for a while after a call (OpenBLAS up to ~0.1 s, ONNX Runtime and OpenMP too), taking a
# core from whoever runs next; a pause before each turn lets them go to sleep.
SETTLE_SECONDS = 0.2


def race(contestants: dict, repeat: int) -> dict[str, float]:
    """Best seconds per call of each callable, timed in `repeat` rounds of turns (round-robin) so that other load
    on the machine falls on all of them alike. Each is warmed up once first."""
    calls = {name: _calls_per_turn(call) for name, call in contestants.items()}
    best = dict.fromkeys(contestants, math.inf)
    for _ in range(repeat):
        for name, call in contestants.items():
            best[name] = min(best[name], _fastest(call, calls[name]))
    return best


def paired_ratio(mine, peer, rounds: int = 15) -> tuple[float, float, float]:
    """(median, lowest, highest) over `rounds` of mine's best time / peer's best time, each round timed A B B A
    (so that a drift in the machine's speed falls on both alike), each block a turn of calls. Two sessions of one
    ONNX Runtime model gave medians of 0.98-1.00 in six runs on this VM, where their ratio of bests from race
    ranged 0.87-1.37."""
    calls = max(_calls_per_turn(mine), _calls_per_turn(peer))

    def one_round() -> float:
        first, peer_first, peer_second, second = (_fastest(call, calls) for call in (mine, peer, peer, mine))
        return min(first, second) / min(peer_first, peer_second)
    ratios = sorted(one_round() for _ in range(rounds))
    return ratios[len(ratios) // 2], ratios[0], ratios[-1]


def _calls_per_turn(call) -> int:
    """After one call to warm it up: how many calls fill a turn, from 1 to MAX_CALLS."""
    start = time.perf_counter()
    call()
    return max(1, min(MAX_CALLS, math.ceil(TURN_SECONDS / max(time.perf_counter() - start, 1e-6))))


def _fastest(call, calls: int) -> float:
    time.sleep(SETTLE_SECONDS)
    fastest = math.inf
    for _ in range(calls):
        start = time.perf_counter()
        call()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def matmul_call(n: int = 2048):
    """A float32 n×n matmul into a reused output, and its FLOPs."""
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    b, out = a.T.copy(), np.empty((n, n), np.float32)
    return (lambda: np.matmul(a, b, out=out)), 2 * n ** 3


def peak_bytes(call) -> int:
    """Peak bytes NumPy allocated during one call, above what was live before (tracemalloc sees NumPy's buffers)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        call()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def blas_description() -> str:
    """Which BLAS kernel NumPy runs, and the OpenBLAS variables that change it (they slow numpy when set)."""
    try:
        from threadpoolctl import threadpool_info
        info = [f"{i['internal_api']} {i.get('version')} {i.get('architecture')} kernel, {i['num_threads']} threads"
                for i in threadpool_info() if i["user_api"] == "blas"]
    except ImportError:
        info = ["threadpoolctl not installed: kernel unknown"]
    variables = [f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ]
    return "; ".join(info + (variables or ["OPENBLAS_CORETYPE unset"]))
