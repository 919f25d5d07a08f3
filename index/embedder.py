"""Sentence embedder for search: loads the configured model and encodes queries and passages.

The model is the EMBEDDING_MODEL environment variable (a hub name or a local path) or else the
directory built by ``make model``. Two backends encode with it (EMBEDDING_BACKEND):

- ``onnx-int8``: the int8 ONNX graph ``make model`` exports beside the weights, run by onnxruntime;
  several times faster on a CPU and without torch in the process. The default when the file exists.
- ``torch``: sentence-transformers, for any model (a hub name or another local directory).

torch and sentence-transformers are imported only when the torch backend loads a model, so modules
that merely import this one stay light.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from index.model_files import ModelSourcesMissing, default_model_dir, int8_file
from vitext.normalize import encoder_text

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_ENV = "EMBEDDING_MODEL"
BACKEND_ENV = "EMBEDDING_BACKEND"
ONNX_INT8 = "onnx-int8"
TORCH = "torch"
BACKENDS = (ONNX_INT8, TORCH)
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "

# "multilingual-e5-small", "intfloat/e5-base-v2", "e5_large": e5 as its own dash/underscore word.
_E5_NAME = re.compile(r"(?:^|[-_/])e5(?:[-_]|$)", re.IGNORECASE)


class EmbeddingModelMissing(FileNotFoundError):
    """The embedding model is not available locally."""


def is_e5_model(name_or_path: str, prompts: dict[str, str] | None = None) -> bool:
    if prompts and prompts.get("query") == E5_QUERY_PREFIX:
        return True
    return any(_E5_NAME.search(part) for part in Path(name_or_path).parts[-2:])


class Embedder(Protocol):
    """What search and index building need from an encoder, whichever backend runs it."""

    name: str  # the model directory or hub name
    backend: str
    is_e5: bool
    dimension: int

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...

    def encode_passages(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray: ...


class UnknownBackend(ValueError):
    """EMBEDDING_BACKEND names no backend."""


class SentenceTransformerEmbedder:
    """A loaded sentence-transformers model with e5-aware query/passage encoding."""

    backend = TORCH

    def __init__(self, model: SentenceTransformer, name: str, is_e5: bool) -> None:
        self.model = model
        self.name = name
        self.is_e5 = is_e5
        # sentence-transformers 5.x renamed the accessor; keep working with either name.
        get_dimension = getattr(model, "get_embedding_dimension", None)
        if get_dimension is None:
            get_dimension = model.get_sentence_embedding_dimension
        dimension = get_dimension()
        if dimension is None:
            raise ValueError(f"{name}: model does not report an embedding dimension")
        self.dimension = int(dimension)

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, E5_QUERY_PREFIX, batch_size, show_progress=False)

    def encode_passages(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        show_progress: bool = False,
    ) -> np.ndarray:
        return self._encode(texts, E5_PASSAGE_PREFIX, batch_size, show_progress)

    def _encode(self, texts: Sequence[str], prefix: str, batch_size: int, show_progress: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not a single string")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        lead = prefix if self.is_e5 else ""
        prepared = [lead + encoder_text(text) for text in texts]
        vectors = self.model.encode(
            prepared,
            batch_size=batch_size,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _looks_like_path(value: str) -> bool:
    return value.startswith(("/", "./", "../", "~"))


def resolve_model(name_or_path: str | None = None) -> str:
    """The model to load: the argument, else EMBEDDING_MODEL, else the directory ``make model`` builds."""
    chosen = name_or_path or os.environ.get(MODEL_ENV, "").strip() or None
    if chosen is not None:
        local = Path(chosen).expanduser()
        if local.exists():
            return str(local.resolve())
        if _looks_like_path(chosen):
            raise EmbeddingModelMissing(
                f"embedding model path {local} does not exist; run `make model` to build the default "
                f"model, or point {MODEL_ENV} at an existing model directory or hub name"
            )
        return chosen  # a hub name, resolved by sentence-transformers (from its cache when offline)

    try:
        default = default_model_dir()
    except ModelSourcesMissing as exc:
        message = f"cannot locate the default embedding model ({exc}); run `make model`"
        raise EmbeddingModelMissing(message) from exc
    if not (default / "model.safetensors").is_file():
        raise EmbeddingModelMissing(
            f"the embedding model has not been built ({default} is missing); run `make model` "
            f"(or set {MODEL_ENV} to a hub name or local model directory)"
        )
    return str(default)


def _prompts(model_dir: Path) -> dict[str, str]:
    try:
        config = json.loads((model_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    prompts = config.get("prompts") if isinstance(config, dict) else None
    return {str(k): str(v) for k, v in prompts.items()} if isinstance(prompts, dict) else {}


def choose_backend(target: str, requested: str | None = None) -> str:
    """The backend for ``target``: the argument, else EMBEDDING_BACKEND, else onnx-int8 when the model
    directory has its int8 graph and torch otherwise (a hub model or another local directory)."""
    chosen = (requested or os.environ.get(BACKEND_ENV, "")).strip().lower()
    if chosen and chosen not in BACKENDS:
        raise UnknownBackend(f"{BACKEND_ENV}={chosen!r}: use one of {', '.join(BACKENDS)} (or leave it empty)")
    has_onnx = int8_file(Path(target)).is_file()
    if chosen == ONNX_INT8 and not has_onnx:
        raise EmbeddingModelMissing(
            f"{BACKEND_ENV}={ONNX_INT8} but {int8_file(Path(target))} does not exist: run `make model` for the "
            f"built-in model, or set {BACKEND_ENV}={TORCH} for a model that has no int8 ONNX graph"
        )
    return chosen or (ONNX_INT8 if has_onnx else TORCH)


def load_embedder(name_or_path: str | None = None, backend: str | None = None) -> Embedder:
    """Load the embedding model named by the argument, EMBEDDING_MODEL, or the built default, with the
    backend named by ``backend`` or EMBEDDING_BACKEND (see :func:`choose_backend`)."""
    target = resolve_model(name_or_path)
    if choose_backend(target, backend) == ONNX_INT8:
        from index.onnx_encoder import OnnxEmbedder

        prompts = _prompts(Path(target))
        e5 = is_e5_model(target, prompts)
        prefixes = (E5_QUERY_PREFIX, E5_PASSAGE_PREFIX) if e5 else ("", "")
        return OnnxEmbedder(Path(target), prefixes)
    return _load_sentence_transformer(target)


def _load_sentence_transformer(target: str) -> SentenceTransformerEmbedder:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ImportError(
            "the embedder needs torch and sentence-transformers: "
            "pip install -r requirements/api.txt (torch is pinned to its CPU build)"
        ) from exc
    try:
        model = SentenceTransformer(target)
    except OSError as exc:
        raise EmbeddingModelMissing(
            f"could not load embedding model {target!r} ({exc}); without network access a hub model "
            f"must already be in the local cache. Run `make model` for the bundled default."
        ) from exc
    prompts = dict(getattr(model, "prompts", {}) or {})
    return SentenceTransformerEmbedder(model, target, is_e5_model(target, prompts))
