"""The int8 ONNX encoder: tokenizer + onnxruntime, the same interface as the sentence-transformers embedder.

Neither torch nor sentence-transformers is imported here, so an API that searches with this encoder
never loads them (less memory, faster start-up).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.model_files import INPUT_NAMES, OUTPUT_NAME, int8_file
from vitext.normalize import encoder_text

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

THREADS_ENV = "EMBEDDING_THREADS"
MAX_TOKENS = 512
PAD_ID = 1  # XLM-R's <pad>
# Passages are embedded in batches of similar length: padding is computed but wasted.
_BATCH_TOKENS = 4096


class OnnxModelMissing(FileNotFoundError):
    """The model directory has no int8 ONNX encoder."""


def default_threads() -> int:
    """EMBEDDING_THREADS, else every core the process may use (2 on the reference machine)."""
    configured = os.environ.get(THREADS_ENV, "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError as exc:
            raise ValueError(f"{THREADS_ENV}={configured!r} is not a whole number of threads") from exc
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def open_session(path: Path, threads: int) -> onnxruntime.InferenceSession:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle worker threads spin by default; on a shared 2-core machine that steals the core the
    # other requests (and the bot) need, for a few per cent of encoder speed.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def load_tokenizer(model_dir: Path) -> Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


class OnnxEmbedder:
    """Encodes with ``onnx/model_int8.onnx`` of a directory built by ``make model``."""

    backend = "onnx-int8"

    def __init__(self, model_dir: Path, prefixes: tuple[str, str], threads: int | None = None) -> None:
        path = int8_file(model_dir)
        if not path.is_file():
            raise OnnxModelMissing(f"{path} is missing: run `make model` to export it, or set EMBEDDING_BACKEND=torch")
        self.name = str(model_dir)
        self.query_prefix, self.passage_prefix = prefixes
        self.is_e5 = bool(self.query_prefix)
        self.tokenizer = load_tokenizer(model_dir)
        self.session = open_session(path, threads or default_threads())
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, self.query_prefix, batch_size, show_progress=False)

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.passage_prefix, batch_size, show_progress)

    def _encode(self, texts: Sequence[str], prefix: str, batch_size: int, show_progress: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not a single string")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch([prefix + encoder_text(t) for t in texts])
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        order = np.argsort(-lengths, kind="stable")
        progress = _progress(len(texts), show_progress)
        start = 0
        while start < len(order):
            # Longest first, so a batch's padding is small and the token budget caps its memory.
            width = int(lengths[order[start]])
            size = max(1, min(batch_size, _BATCH_TOKENS // max(width, 1)))
            chosen = order[start : start + size]
            ids = np.full((len(chosen), width), PAD_ID, dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.int64)
            for row, index in enumerate(chosen):
                tokens = encodings[index].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            feeds = dict(zip(INPUT_NAMES, (ids, mask), strict=True))
            out[chosen] = self.session.run([OUTPUT_NAME], feeds)[0]
            start += len(chosen)
            if progress is not None:
                progress.update(len(chosen))
        if progress is not None:
            progress.close()
        return out


def _progress(total: int, show: bool):  # type: ignore[no-untyped-def]
    if not show:
        return None
    import sys

    from tqdm import tqdm

    return tqdm(total=total, unit="passage", desc="embedding", file=sys.stderr)
