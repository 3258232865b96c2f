from pathlib import Path

import pytest

@pytest.fixture
def write(tmp_path):
    """Writes text to a file in a temporary folder and returns its path."""
    def _write(text: str | bytes, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path
    return _write

