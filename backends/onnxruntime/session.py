"""The ONNX Runtime session: options that make it fast (every graph optimisation, one intra-op thread per
physical core), overridable through compile options."""
from __future__ import annotations

import os

from graphspec.onnx import require

LEVELS = {"all": "ORT_ENABLE_ALL", "extended": "ORT_ENABLE_EXTENDED", "basic": "ORT_ENABLE_BASIC",
          "disabled": "ORT_DISABLE_ALL"}


def physical_cores() -> int:
    """Distinct (package, core) pairs in /proc/cpuinfo; the logical count where that cannot be read."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            text = cpuinfo.read()
    except OSError:
        return os.cpu_count() or 1
    cores, package = set(), "0"
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "physical id":
            package = value.strip()
        elif key.strip() == "core id":
            cores.add((package, value.strip()))
    return len(cores) or os.cpu_count() or 1


def make_session(model_bytes: bytes, intra_op_num_threads=None, graph_optimization_level="all", providers=None):
    ort = require("onnxruntime", "the onnxruntime backend")
    if graph_optimization_level not in LEVELS:
        raise ValueError(f"graph_optimization_level must be one of {', '.join(LEVELS)}, "
                         f"got {graph_optimization_level!r}")
    options = ort.SessionOptions()
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, LEVELS[graph_optimization_level])
    options.intra_op_num_threads = intra_op_num_threads or physical_cores()
    # fatal only: a run ONNX Runtime refuses (an id outside a table) is reported as a RunError with its message
    # already; its own log line beside that, naming the id as the export cast it, would only confuse
    options.log_severity_level = 4
    return ort.InferenceSession(model_bytes, options, providers=providers or ["CPUExecutionProvider"])


def session_runner(session):
    """session.run without onnxruntime's own per-call Python checks (input names, graph capture, OrtValue
    ownership: ~2 us, 14% of a batch-1 text model's run, 5% at batch 32), which the backend's input checks make
    redundant, on a session of the CPU provider alone, where onnxruntime's fallback to another provider never
    applies; else session.run itself."""
    core = getattr(session, "_sess", None)
    if core is None or session.get_providers() != ["CPUExecutionProvider"]:
        return session.run
    return lambda outputs, feed: core.run(outputs, feed, None)
