"""TensorFlow.js's model.json: a Keras config under modelTopology, and weights in binary shards named by its
weightsManifest, read from the folder of model.json only."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .containers import MAX_WEIGHTS, Source
from .problems import KerasFileError

DTYPES = {"float32": "<f4", "int32": "<i4", "uint8": "u1", "bool": "u1"}


def read_tfjs(path: Path, data: dict) -> Source:
    topology = data["modelTopology"]
    config = topology.get("model_config", topology) if isinstance(topology, dict) else None
    if not isinstance(config, dict) or "class_name" not in config:
        raise KerasFileError(path, f"{path}: modelTopology holds no Keras model config",
                             "graphspec reads TensorFlow.js layers models (format layers-model), not graph models")
    manifest = data.get("weightsManifest") or []
    weights = ("named", [("", _shard_weights(path, group)) for group in manifest]) if manifest else None
    return Source(str(path), "tfjs", config, topology.get("keras_version"), topology.get("backend"), weights)


def _shard(folder: Path, name: str, path: Path) -> bytes:
    file = (folder / name).resolve()
    if Path(name).is_absolute() or folder.resolve() not in file.parents:
        raise KerasFileError(path, f"{path}: weight shard '{name}' lies outside the folder of model.json")
    if not file.is_file():
        raise KerasFileError(path, f"{path}: weight shard '{name}' is missing", "copy the shard files beside "
                             "model.json, or import without weights from the config alone")
    if file.stat().st_size > MAX_WEIGHTS:
        raise KerasFileError(path, f"{path}: weight shard '{name}' is too large")
    return file.read_bytes()


def _shard_weights(path: Path, group: dict) -> list:
    buffer = b"".join(_shard(path.parent, name, path) for name in group.get("paths", []))
    weights, offset = [], 0
    for spec in group.get("weights", []):
        dtype = DTYPES.get(spec.get("dtype", "float32"))
        if dtype is None or "quantization" in spec:
            raise KerasFileError(path, f"{path}: weight {spec.get('name')} is stored as {spec.get('dtype')}"
                                 f"{' quantized' if 'quantization' in spec else ''}, which graphspec does not read")
        count = int(np.prod(spec["shape"], dtype=np.int64))
        size = count * np.dtype(dtype).itemsize
        if offset + size > len(buffer):
            raise KerasFileError(path, f"{path}: the shards end before weight {spec.get('name')}")
        array = np.frombuffer(buffer, dtype, count, offset).reshape(spec["shape"])
        weights.append((spec["name"], array.astype(np.float32) if dtype == "<f4" else array))
        offset += size
    return weights
