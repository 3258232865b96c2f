"""Paths into a spec document, as diagnostics print them: layers[3].kernel_size."""
from __future__ import annotations

DocPath = tuple[str | int, ...]


def format_path(path: DocPath) -> str:
    """('layers', 3, 'kernel_size') -> 'layers[3].kernel_size'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
