"""The int8 ONNX encoder: exported by `make model`, faithful to the float32 model on real catalog text,
chosen by default for the built model, and free of torch on the query path."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import numpy as np
import pytest

from index.build import embedder_key, embedding_cache_path, index_dir
from index.embedder import (
    BACKEND_ENV,
    ONNX_INT8,
    TORCH,
    Embedder,
    EmbeddingModelMissing,
    UnknownBackend,
    choose_backend,
    load_embedder,
)
from index.model_files import ONNX_DIR, check_int8, int8_file, read_manifest, read_onnx_manifest
from index.onnx_encoder import OnnxEmbedder
from index.passages import DENSE_KINDS, passages_for
from knowledge.aliases import load_aliases
from knowledge.catalog_file import iter_records
from modelbuild.assemble import build
from modelbuild.onnx_export import EXPORT_THRESHOLD, INT8_THRESHOLD, onnx_key
from tests.modelbuild.child import run_script

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "questions.jsonl"


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return build()  # the verified cache after the first build


@pytest.fixture(scope="module")
def int8(model_dir: Path) -> Embedder:
    return load_embedder(str(model_dir), backend=ONNX_INT8)


@pytest.fixture(scope="module")
def fp32(model_dir: Path) -> Embedder:
    return load_embedder(str(model_dir), backend=TORCH)


def real_passages(count: int) -> list[str]:
    """Every n-th embedded passage of the committed catalog: names, descriptions, citizens' wording."""
    aliases = load_aliases()
    texts = [p.text for r in iter_records() for p in passages_for(r, aliases) if p.kind in DENSE_KINDS]
    return texts[:: len(texts) // count][:count]


def real_questions(count: int) -> list[str]:
    rows = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    return rows[:: len(rows) // count][:count]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b)


def test_make_model_exports_a_checksummed_int8_graph(model_dir: Path) -> None:
    onnx_dir = model_dir / ONNX_DIR
    manifest = read_onnx_manifest(onnx_dir)
    assert manifest is not None and check_int8(onnx_dir) is None
    weights = (read_manifest(model_dir) or {})["weights_sha256"]
    assert manifest["key"] == onnx_key(str(weights))
    assert manifest["fidelity"]["export_min_cosine"] >= EXPORT_THRESHOLD
    assert manifest["fidelity"]["int8_min_cosine"] >= INT8_THRESHOLD
    assert not (onnx_dir / "model_fp32.onnx").exists()  # only the int8 graph is kept
    assert int8_file(model_dir).stat().st_size < 150 * 2**20  # int8 weights and embedding table


def test_int8_matches_float32_on_real_catalog_text(int8: Embedder, fp32: Embedder) -> None:
    passages, questions = real_passages(240), real_questions(120)
    on_passages = cosines(int8.encode_passages(passages), fp32.encode_passages(passages))
    on_questions = cosines(int8.encode_queries(questions), fp32.encode_queries(questions))
    summary = f"passages mean {on_passages.mean():.5f} min {on_passages.min():.5f}; " + (
        f"questions mean {on_questions.mean():.5f} min {on_questions.min():.5f}"
    )
    # Measured: passages mean 0.9976 (worst 0.9938), questions mean 0.9966 (worst 0.9924).
    assert on_passages.mean() >= 0.995 and on_questions.mean() >= 0.995, summary
    assert min(on_passages.min(), on_questions.min()) >= 0.99, summary


def test_padding_and_batching_barely_change_vectors(int8: Embedder, fp32: Embedder) -> None:
    """Activations are quantised with one scale per call, so batch-mates shift a vector slightly
    (cosine above 0.99 batched against alone); padding itself must not (the mask excludes it)."""
    texts = ["hộ chiếu", "Cấp lại giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở do bị mất", "khai sinh"]
    batched = int8.encode_passages(texts, batch_size=8)
    single = np.stack([int8.encode_passages([t])[0] for t in texts])
    assert batched.shape == (3, 384) and batched.dtype == np.float32
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert cosines(batched, single).min() > 0.99
    assert cosines(batched, fp32.encode_passages(texts)).min() > 0.98
    assert np.array_equal(int8.encode_passages(texts, batch_size=8), batched)  # deterministic
    assert float(int8.encode_queries(texts[:1])[0] @ batched[0]) < 0.9999  # e5 prefixes differ
    assert int8.encode_queries([]).shape == (0, 384)


def test_long_passages_are_truncated_like_sentence_transformers(int8: Embedder, fp32: Embedder) -> None:
    long = " ".join(itertools.repeat("Hồ sơ gồm tờ khai đăng ký khai sinh và giấy chứng sinh.", 120))
    assert float(int8.encode_passages([long])[0] @ fp32.encode_passages([long])[0]) > 0.98


def test_built_model_defaults_to_int8_and_torch_stays_available(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(BACKEND_ENV, raising=False)
    assert choose_backend(str(model_dir)) == ONNX_INT8
    monkeypatch.setenv(BACKEND_ENV, "torch")
    assert choose_backend(str(model_dir)) == TORCH
    monkeypatch.setenv(BACKEND_ENV, "openvino")
    with pytest.raises(UnknownBackend, match="onnx-int8, torch"):
        choose_backend(str(model_dir))
    # Another sentence-transformers directory (or a hub name) has no int8 graph: torch, unless forced.
    monkeypatch.delenv(BACKEND_ENV)
    assert choose_backend(str(tmp_path)) == TORCH
    assert choose_backend("intfloat/multilingual-e5-small") == TORCH
    with pytest.raises(EmbeddingModelMissing, match="make model"):
        choose_backend(str(tmp_path), ONNX_INT8)


def test_backends_never_share_an_index_or_embedding_cache(int8: Embedder, fp32: Embedder) -> None:
    assert isinstance(int8, OnnxEmbedder)
    int8_key, fp32_key = embedder_key(int8), embedder_key(fp32)
    assert (int8_key["backend"], fp32_key["backend"]) == (ONNX_INT8, TORCH)
    assert int8_key["encoder_sha256"] and "encoder_sha256" not in fp32_key
    assert index_dir(int8_key) != index_dir(fp32_key)
    assert embedding_cache_path(int8_key) != embedding_cache_path(fp32_key)


def test_query_path_loads_neither_torch_nor_sentence_transformers(model_dir: Path) -> None:
    script = (
        "import sys; from index.embedder import load_embedder; "
        "e = load_embedder(sys.argv[1]); v = e.encode_queries(['cấp hộ chiếu']); "
        "print(e.backend, v.shape[1], 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != BACKEND_ENV}
    assert run_script(script, model_dir, env, cwd=Path(__file__).resolve().parents[2]) == [
        "onnx-int8",
        "384",
        "False",
        "False",
    ]
