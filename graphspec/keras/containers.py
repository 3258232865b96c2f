"""Model files -> the model config, Keras's version and the raw weights, read without running anything from them.

- `.keras` (Keras 3): a zip of config.json, metadata.json and model.weights.h5, read in memory (nothing is
  extracted, so no member can land outside a folder) after its members' declared sizes are checked;
- `.h5`/`.hdf5` (Keras 2, or Keras 3's legacy save): the model_config attribute and the model_weights group;
- `.json`: a bare to_json() config of any era, the same config written as a JSON string, or TensorFlow.js's
  model.json (modelTopology, and the weightsManifest's shard files beside it).
HDF5 is read with h5py only (no pickle); a dataset that is not numbers is refused.
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .problems import KerasFileError, need_h5py

MAX_CONFIG = 64 << 20  # bytes of JSON
MAX_WEIGHTS = 4 << 30  # bytes a file may declare for its weights
MAX_RATIO = 200  # a member inflating more than this is a zip bomb, not float weights
MAX_MEMBERS = 10_000


@dataclass
class Source:
    path: str
    kind: str  # "keras", "h5", "json" or "tfjs"
    config: dict
    keras_version: str | None = None
    backend: str | None = None
    # ("keras3", {"layers/dense/vars/0": array}) or ("named", [(top layer, [(weight name, array)])]); None: none
    weights: tuple | None = None


def read_source(path: str | Path) -> Source:
    path = Path(path)
    if not path.is_file():
        raise KerasFileError(path, f"cannot read {path}: {'it is a directory' if path.is_dir() else 'no such file'}")
    suffix = path.suffix.lower()
    if suffix == ".keras" or zipfile.is_zipfile(path):
        return read_archive(path)
    if suffix in (".h5", ".hdf5", ".hdf"):
        return read_h5(path)
    return read_json(path)


def _json(text: bytes | str, path, what: str) -> Any:
    try:
        data = json.loads(text)
        return json.loads(data) if isinstance(data, str) else data  # a config saved as a JSON string
    except (ValueError, UnicodeDecodeError) as exc:
        raise KerasFileError(path, f"{what} is not valid JSON: {exc}") from None


def _model_config(data: Any, path, what: str) -> dict:
    if not isinstance(data, dict) or "class_name" not in data:
        raise KerasFileError(path, f"{what} holds no Keras model config (a mapping with class_name and config)",
                             "give graphspec the file model.to_json() or model.save() wrote")
    return data


def read_json(path: Path) -> Source:
    if path.stat().st_size > MAX_CONFIG:
        raise KerasFileError(path, f"{path} is over {MAX_CONFIG >> 20} MB, too large for a model config")
    data = _json(path.read_bytes(), path, str(path))
    if isinstance(data, dict) and "modelTopology" in data:
        from .tfjs import read_tfjs
        return read_tfjs(path, data)
    config = _model_config(data, path, str(path))
    return Source(str(path), "json", config, data.get("keras_version"), data.get("backend"))


def _checked_members(archive: zipfile.ZipFile, path) -> dict[str, zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise KerasFileError(path, f"{path} holds {len(members)} files, more than a Keras archive does")
    total = 0
    for info in members:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
            raise KerasFileError(path, f"{path} holds a member '{name}' whose path leaves the archive's folder",
                                 "this is not an archive Keras wrote; do not open it")
        total += info.file_size
        if total > MAX_WEIGHTS or info.file_size > MAX_RATIO * max(info.compress_size, 1) + (1 << 20):
            raise KerasFileError(path, f"{path}: member '{name}' declares {info.file_size} bytes from "
                                 f"{info.compress_size}: a zip bomb or a damaged archive, refused")
    return {info.filename: info for info in members}


def read_archive(path: Path) -> Source:
    try:
        with zipfile.ZipFile(path) as archive:
            members = _checked_members(archive, path)
            if "config.json" not in members:
                raise KerasFileError(path, f"{path} is a zip without config.json, not a Keras 3 .keras archive")
            if members["config.json"].file_size > MAX_CONFIG:
                raise KerasFileError(path, f"{path}: config.json is over {MAX_CONFIG >> 20} MB")
            config = _model_config(_json(archive.read("config.json"), path, "config.json"), path, "config.json")
            metadata = _json(archive.read("metadata.json"), path, "metadata.json") \
                if "metadata.json" in members else {}
            weights = archive.read("model.weights.h5") if "model.weights.h5" in members else None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise KerasFileError(path, f"cannot read {path} as a .keras archive: {exc}") from None
    metadata = metadata if isinstance(metadata, dict) else {}
    arrays = ("keras3", _h5_arrays(io.BytesIO(weights), path)) if weights is not None else None
    return Source(str(path), "keras", config, metadata.get("keras_version"), None, arrays)


def _numeric(dataset, path) -> np.ndarray:
    if dataset.dtype.kind not in "biuf":
        raise KerasFileError(path, f"{path}: dataset {dataset.name} holds {dataset.dtype}, not numbers")
    return np.asarray(dataset[()])


def _h5_arrays(handle, path) -> dict[str, np.ndarray]:
    h5py = need_h5py(str(path))
    arrays = {}
    try:
        with h5py.File(handle, "r") as f:
            f.visititems(lambda name, obj: arrays.__setitem__(name, _numeric(obj, path))
                         if isinstance(obj, h5py.Dataset) else None)
    except (OSError, ValueError) as exc:
        raise KerasFileError(path, f"cannot read the weights in {path}: {exc}") from None
    return arrays


def _text(value) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return None if value is None else str(value)


def read_h5(path: Path) -> Source:
    h5py = need_h5py(str(path))
    try:
        with h5py.File(path, "r") as f:
            if "model_config" not in f.attrs:
                raise KerasFileError(path, f"{path} holds weights only, no model config",
                                     "save the whole model (model.save), or import its JSON config")
            config = _model_config(_json(_text(f.attrs["model_config"]), path, "model_config"), path,
                                   "model_config")
            group = f["model_weights"] if "model_weights" in f else f
            weights = ("named", _named_groups(group, path))
            version, backend = _text(f.attrs.get("keras_version")), _text(f.attrs.get("backend"))
    except OSError as exc:
        raise KerasFileError(path, f"cannot read {path} as HDF5: {exc}") from None
    return Source(str(path), "h5", config, version, backend, weights)


def _named_groups(group, path) -> list:
    """[(layer name, [(weight name, array)])] in the order the file lists its layers and their weights."""
    names = [_text(n) for n in group.attrs.get("layer_names", [])]
    layers = []
    for name in names:
        layer = group[name]
        weight_names = [_text(n) for n in layer.attrs.get("weight_names", [])]
        layers.append((name, [(w, _numeric(layer[w], path)) for w in weight_names]))
    return layers
