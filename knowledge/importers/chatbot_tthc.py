"""Importer for chatbot-tthc/chatbot_tthc: national-portal pages crawled into flat text fields.

One JSON file per procedure under scripts/crawler/data/raw/<ministry>/<code>.json; table cells
are run together and are read by the parsers in `knowledge.parsing`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from knowledge.importers.base import SourceFormatError, SourceInfo
from knowledge.parsing.cells import split_top_level
from knowledge.parsing.channels import parse_channels
from knowledge.parsing.documents import parse_documents
from knowledge.parsing.legal import parse_legal_basis
from knowledge.parsing.results import parse_results
from knowledge.parsing.steps import parse_steps
from knowledge.schema import CODE_PATTERN, Procedure, SourceRef
from vitext.normalize import clean_field, fold

SOURCE = SourceInfo(
    name="chatbot-tthc__chatbot_tthc", repo="chatbot-tthc/chatbot_tthc", commit="53229487", date="2026-07"
)

RAW_DIR = Path("scripts/crawler/data/raw")

# Folder → promulgating ministry, spelled as in the source's own ministry lists (xlsx).
MINISTRIES = {
    "bo-cong-an": "Bộ Công an",
    "bo-nong-nghiep-mt": "Bộ Nông nghiệp và Môi trường",
    "bo-tai-chinh": "Bộ Tài chính",
    "bo-tu-phap": "Bộ Tư pháp",
    "bo-xay-dung": "Bộ Xây dựng",
    "ngan-hang-nha-nuoc": "Ngân hàng Nhà nước Việt Nam",
    "toa-an-nhan-dan": "Tòa án nhân dân tối cao",
}

_CODE = re.compile(CODE_PATTERN)
_REQUIRED = ("ma_thu_tuc", "ten_thu_tuc")


def load(root: Path, skipped: list[str]) -> Iterator[Procedure]:
    """Yield one record per procedure file under `root / SOURCE.name`, in path order; a broken file
    is skipped and listed in `skipped`, so that it never costs the source's thousands of good ones."""
    yield from load_raw_dir(root / SOURCE.name / RAW_DIR, skipped=skipped)


def load_raw_dir(raw_root: Path, skipped: list[str] | None = None) -> Iterator[Procedure]:
    """Records of a `<ministry>/<code>.json` tree (the source's layout, or a test copy of it).

    A malformed file raises SourceFormatError, or, given a `skipped` list, is reported there instead.
    """
    for path in sorted(raw_root.glob("*/*.json")):
        ref = path.relative_to(raw_root).as_posix()
        try:
            procedure = read_file(path, ref=ref)
        except (ValueError, TypeError, KeyError) as error:  # SourceFormatError, or a record that fails validation
            if skipped is None:
                raise
            reason = str(error) if isinstance(error, SourceFormatError) else f"{ref}: {type(error).__name__}: {error}"
            skipped.append(reason)
            continue
        if procedure is not None:
            yield procedure


def read_file(path: Path, ref: str) -> Procedure | None:
    """One raw file → a record; None for test rows and codes outside the national scheme."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceFormatError(f"{ref}: cannot read JSON ({error})") from error
    if not isinstance(raw, dict):
        raise SourceFormatError(f"{ref}: expected a JSON object, got {type(raw).__name__}")
    for key, value in raw.items():
        if value is not None and not isinstance(value, str):
            raise SourceFormatError(f"{ref}: field {key!r} is {type(value).__name__}, expected text")
    missing = [key for key in _REQUIRED if not clean_field(raw.get(key))]
    if missing:
        raise SourceFormatError(f"{ref}: missing {', '.join(missing)}")
    return to_procedure(raw, ministry_folder=path.parent.name, ref=ref)


def to_procedure(raw: dict[str, str], ministry_folder: str, ref: str) -> Procedure | None:
    """Map one raw record; every parsed field stays empty where the text cannot be read."""
    code = clean_field(raw.get("ma_thu_tuc")) or ""
    name = clean_field(raw.get("ten_thu_tuc")) or ""
    if _is_test_row(code, name) or not _CODE.match(code):
        return None
    url = clean_field(raw.get("detail_url"))
    return Procedure(
        code=code,
        name=name,
        field=clean_field(raw.get("linh_vuc")),
        levels=_split(raw.get("cap_thuc_hien")),
        promulgating_agency=MINISTRIES.get(ministry_folder),
        competent_agency=clean_field(raw.get("co_quan_co_tham_quyen")),
        executing_agency=clean_field(raw.get("co_quan_thuc_hien")),
        subjects=_split(raw.get("doi_tuong_thuc_hien")),
        channels=parse_channels(raw.get("cach_thuc_thuc_hien") or ""),
        documents=parse_documents(raw.get("thanh_phan_ho_so") or ""),
        steps=parse_steps(raw.get("trinh_tu_thuc_hien") or ""),
        conditions=clean_field(raw.get("yeu_cau_dieu_kien")),
        results=parse_results(raw.get("ket_qua_xu_ly") or ""),
        legal_basis=parse_legal_basis(raw.get("can_cu_phap_ly") or ""),
        decision=clean_field(raw.get("so_quyet_dinh")),
        portal_url=url,
        sources=[SourceRef(source=SOURCE.name, url=url, ref=ref)],
    )


def _split(value: str | None) -> list[str]:
    text = clean_field(value)
    return split_top_level(text) if text else []


def _is_test_row(code: str, name: str) -> bool:
    return code.upper().startswith("TEST_") or fold(name).startswith("thu tuc test")
