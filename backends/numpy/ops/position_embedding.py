import numpy as np


def sine_positions(steps: int, features: int, max_wavelength: float) -> np.ndarray:
    """keras_hub's SinePositionEncoding table (steps, features), in float32 as keras_hub computes it:
    angle[p, j] = p · (1 / max_wavelength) ** (2 · (j // 2) / features); sin on even j, cos on odd j."""
    j = np.arange(features)
    timescales = np.power(np.float32(1 / max_wavelength), (2 * (j // 2)).astype(np.float32) / np.float32(features))
    angles = np.arange(steps, dtype=np.float32)[:, np.newaxis] * timescales
    return np.where(j % 2 == 0, np.sin(angles), np.cos(angles))
