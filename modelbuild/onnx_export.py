"""Export the built sentence-transformers directory to ONNX and quantise it to int8 for fast CPU search.

The graph takes token ids and an attention mask and returns the mean-pooled, L2-normalised sentence
embedding, so the query path needs only onnxruntime, the tokenizer and numpy (no torch). Linear layers
and the word-embedding table are quantised dynamically (int8 weights, activations quantised per call),
which is what makes a query cost milliseconds on two cores instead of tens of milliseconds.

torch is needed here, at `make model` time, and nowhere on the query path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np

from index.model_files import (
    FP32_FILE,
    INPUT_NAMES,
    INT8_FILE,
    MANIFEST_FILE,
    ONNX_DIR,
    OUTPUT_NAME,
    check_int8,
    read_onnx_manifest,
    sha256_file,
)
from index.onnx_encoder import load_tokenizer, open_session
from modelbuild.errors import OnnxExportError

OPSET = 17
EXPORT_THRESHOLD = 0.9999  # float32 graph vs sentence-transformers: the same computation
INT8_THRESHOLD = 0.98  # int8 vs float32, worst of 40 texts (measured: see docs/search-speed.md)
# Per-channel weight scales: one scale per output column keeps small columns from rounding to zero.
# The FFN output projections (after GELU, whose activations have the widest range) stay float32:
# measured, that keeps retrieval at the float32 level for the same speed on this CPU (docs/search-speed.md).
QUANTISATION: dict[str, Any] = {
    "op_types": ["MatMul", "Gather"],
    "per_channel": True,
    "weight_type": "QInt8",
    # 7-bit weights: the u8×s8 products of two neighbours then never overflow int16, so a CPU without
    # VNNI (AVX2, whose vpmaddubsw saturates) computes exactly what a VNNI one does. With 8 bits the two
    # gave different embeddings, hence a different decision model, and different answers, per machine.
    "reduce_range": True,
    "float32_nodes": r"/layer\.\d+/output/dense/MatMul$",
}


def _pooled_module(model_dir: Path) -> Any:
    import torch
    from transformers import AutoModel

    class MeanPooled(torch.nn.Module):
        """BERT, then the mean over real tokens and L2 normalisation, as sentence-transformers does."""

        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(dim=1)
            mean = summed / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    # The directory has no pooler weights; building none keeps a random pooler out of the graph.
    bert = AutoModel.from_pretrained(str(model_dir), add_pooling_layer=False, attn_implementation="eager")
    return MeanPooled(bert).eval()


def export_fp32(model_dir: Path, out_file: Path) -> None:
    """Trace the model into a float32 ONNX graph with dynamic batch and sequence axes."""
    try:
        import torch
    except ImportError as exc:
        raise OnnxExportError("exporting the ONNX encoder needs torch: pip install -r requirements/api.txt") from exc
    module = _pooled_module(model_dir)
    ids = torch.tensor([[0, 41, 1294, 12, 2], [0, 41, 1294, 2, 1]], dtype=torch.int64)
    mask = (ids != 1).to(torch.int64)
    dynamic = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    with torch.no_grad():
        # The TorchScript exporter needs neither onnxscript nor torch.export, and BERT traces cleanly.
        torch.onnx.export(
            module,
            (ids, mask),
            str(out_file),
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_axes={**dynamic, OUTPUT_NAME: {0: "batch"}},
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def quantise_int8(fp32_file: Path, out_file: Path) -> None:
    """Dynamic int8 quantisation of the MatMul weights (but the FFN output ones) and embedding tables."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32_file), load_external_data=False).graph
    keep = [n.name for n in graph.node if n.op_type == "MatMul" and re.search(QUANTISATION["float32_nodes"], n.name)]
    if not keep:
        raise OnnxExportError(
            f"no node of {fp32_file.name} matches {QUANTISATION['float32_nodes']!r}: the exporter's node names "
            "changed; update QUANTISATION in modelbuild/onnx_export.py"
        )
    quantize_dynamic(
        str(fp32_file),
        str(out_file),
        op_types_to_quantize=QUANTISATION["op_types"],
        per_channel=QUANTISATION["per_channel"],
        reduce_range=QUANTISATION["reduce_range"],
        weight_type=QuantType.QInt8,
        nodes_to_exclude=keep,
    )


def onnx_key(weights_sha256: str) -> str:
    """What the int8 graph depends on: the weights, this exporter, and the exporting packages."""
    from importlib import metadata

    digest = hashlib.sha256(weights_sha256.encode())
    digest.update(Path(__file__).read_bytes())
    for dist in ("torch", "transformers", "onnx", "onnxruntime"):
        digest.update(f"{dist}=={metadata.version(dist)}\n".encode())
    return digest.hexdigest()[:12]


def _pooled(session: Any, tokenizer: Any, texts: list[str]) -> np.ndarray:
    rows = []
    for encoding in tokenizer.encode_batch(texts):
        ids = np.asarray([encoding.ids], dtype=np.int64)
        feeds = dict(zip(INPUT_NAMES, (ids, np.ones_like(ids)), strict=True))
        rows.append(session.run([OUTPUT_NAME], feeds)[0][0])
    return np.stack(rows)


def measure_fidelity(model_dir: Path, fp32: Path, int8: Path, texts: list[str]) -> dict[str, float]:
    """Cosines of the int8 graph against the float32 one, and of the float32 graph against
    sentence-transformers (the export itself must be exact: that one is close to 1)."""
    from sentence_transformers import SentenceTransformer

    tokenizer = load_tokenizer(model_dir)
    reference = SentenceTransformer(str(model_dir)).encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    exported = _pooled(open_session(fp32, 2), tokenizer, texts)
    quantised = _pooled(open_session(int8, 2), tokenizer, texts)
    export_cos = np.einsum("ij,ij->i", exported, reference)
    int8_cos = np.einsum("ij,ij->i", quantised, exported)
    return {
        "export_min_cosine": round(float(export_cos.min()), 6),
        "int8_min_cosine": round(float(int8_cos.min()), 6),
        "int8_mean_cosine": round(float(int8_cos.mean()), 6),
        "texts": len(texts),
    }


def ensure_int8(model_dir: Path, weights_sha256: str, force: bool = False) -> Path:
    """``model_dir/onnx/model_int8.onnx``, exported and checked unless a verified one is current.

    The graph has its own key (weights, exporter code, package versions), so a change in quantisation
    rebuilds only this folder, not the dequantised weights beside it.
    """
    from modelbuild.fidelity import SENTENCES

    onnx_dir = model_dir / ONNX_DIR
    key = onnx_key(weights_sha256)
    manifest = read_onnx_manifest(onnx_dir)
    if not force and manifest is not None and manifest.get("key") == key and check_int8(onnx_dir) is None:
        print(f"cached: {onnx_dir / INT8_FILE} (checksum verified)", file=sys.stderr)
        return onnx_dir / INT8_FILE
    partial = model_dir / f".{ONNX_DIR}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        fp32, int8 = partial / FP32_FILE, partial / INT8_FILE
        print("exporting the ONNX encoder", file=sys.stderr)
        export_fp32(model_dir, fp32)
        print("quantising it to int8", file=sys.stderr)
        quantise_int8(fp32, int8)
        texts = [prefix + text for text in SENTENCES for prefix in ("query: ", "passage: ")]
        fidelity = measure_fidelity(model_dir, fp32, int8, texts)
        print(f"int8 ONNX encoder: {fidelity}", file=sys.stderr)
        if fidelity["export_min_cosine"] < EXPORT_THRESHOLD or fidelity["int8_min_cosine"] < INT8_THRESHOLD:
            raise OnnxExportError(
                f"the ONNX encoder is not faithful enough ({fidelity}; need export >= {EXPORT_THRESHOLD}, "
                f"int8 >= {INT8_THRESHOLD}): check the torch/transformers/onnxruntime versions against "
                "requirements/api.txt, or set EMBEDDING_BACKEND=torch"
            )
        fp32.unlink()  # 470 MB that nothing reads after the check
        int8.chmod(0o644)
        manifest = {
            "key": key,
            "weights_sha256": weights_sha256,
            "int8_sha256": sha256_file(int8),
            "quantisation": QUANTISATION,
            "fidelity": fidelity,
        }
        (partial / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        shutil.rmtree(onnx_dir, ignore_errors=True)
        partial.rename(onnx_dir)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return onnx_dir / INT8_FILE
