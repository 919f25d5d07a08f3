"""nhdandz/ThuTucHanhChinh: 207 procedures, mostly of the Ministry of Defence, extracted from the
portal's "ChiTietTTHC_<code>.doc" exports into `data/extracted_fixed/<code>.json`.

The documents table puts the form file name in `so_luong` and the counts ("Bản chính: 1\\nBản sao: 0")
in `ghi_chu`. The publishing ministry is read from the decision number ("6225/QĐ-BQP").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from knowledge.importers.base import SourceFormatError, SourceInfo
from knowledge.parsing.cells import split_list
from knowledge.parsing.channels import channel_method
from knowledge.parsing.codes import clean_code, is_test_name
from knowledge.parsing.decisions import decision_number, issuer_of_decision
from knowledge.parsing.documents import parse_copy_counts
from knowledge.parsing.fees import parse_fees
from knowledge.parsing.legal import legal_documents
from knowledge.parsing.levels import levels
from knowledge.parsing.steps import split_steps
from knowledge.parsing.times import processing_time
from knowledge.schema import (
    Channel,
    ChannelMethod,
    Document,
    DocumentGroup,
    LegalDocument,
    Procedure,
    SourceRef,
)
from vitext.normalize import clean_field, normalize

SOURCE = SourceInfo(
    name="nhdandz__ThuTucHanhChinh",
    repo="nhdandz/ThuTucHanhChinh",
    commit="936e184e",
    date="2026-01",
)

FOLDER = "data/extracted_fixed"

_METHOD_ORDER: tuple[ChannelMethod, ...] = ("online", "postal", "direct")

Json = dict[str, Any]


def load(root: Path, skipped: list[str]) -> Iterator[Procedure]:
    """One record per file with a valid code, sorted by code; broken files go to `skipped`."""
    folder = root / SOURCE.name / FOLDER
    if not folder.is_dir():
        raise SourceFormatError(f"{folder}: folder not found")
    records: dict[str, Procedure] = {}
    for path in sorted(folder.glob("*.json")):
        relative = f"{FOLDER}/{path.name}"
        try:
            record = parse_file(json.loads(path.read_text(encoding="utf-8")), relative)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
            skipped.append(f"{relative}: {type(error).__name__}: {error}")
            continue
        if record is not None:
            records.setdefault(record.code, record)
    return iter(records[code] for code in sorted(records))


def parse_file(data: Json, ref: str) -> Procedure | None:
    """The record of one extracted file; None for a test entry or an invalid code.

    Raises SourceFormatError when the file lacks the expected sections.
    """
    try:
        meta, content, tables = data["metadata"], data["content"], data["tables"]
    except (KeyError, TypeError) as error:
        raise SourceFormatError(f"{ref}: missing section {error}") from error
    code = clean_code(meta.get("mã_thủ_tục") or data.get("thu_tuc_id"))
    name = normalize(str(meta.get("tên_thủ_tục") or ""))
    if code is None or not name or is_test_name(name):
        return None
    decision = decision_number(str(meta.get("số_quyết_định") or ""))
    try:
        return Procedure(
            code=code,
            name=name,
            field=clean_field(meta.get("lĩnh_vực")),
            levels=levels(str(meta.get("cấp_thực_hiện") or "")),
            promulgating_agency=issuer_of_decision(decision),
            competent_agency=clean_field(content.get("cơ_quan_có_thẩm_quyền")),
            executing_agency=clean_field(content.get("cơ_quan_thực_hiện")),
            subjects=split_list(clean_field(content.get("đối_tượng_thực_hiện")) or ""),
            channels=_channels(tables.get("hinh_thuc_nop") or []),
            documents=_documents(tables.get("thanh_phan_ho_so") or []),
            steps=_steps(content.get("trình_tự_thực_hiện")),
            conditions=clean_field(content.get("yêu_cầu_điều_kiện_thực_hiện")),
            results=[r for r in [clean_field(content.get("kết_quả_thực_hiện"))] if r],
            legal_basis=_legal_basis(tables.get("can_cu_phap_ly") or []),
            decision=decision,
            sources=[SourceRef(source=SOURCE.name, ref=ref)],
        )
    except ValidationError as error:
        raise SourceFormatError(f"{ref}: {error}") from error


def _steps(raw: object) -> list[str]:
    return split_steps(str(raw)) if clean_field(raw) else []


def _channels(rows: list[Json]) -> list[Channel]:
    by_method: dict[ChannelMethod, Channel] = {}
    for row in rows:
        method = channel_method(str(row.get("hinh_thuc") or ""))
        if method is None:
            continue
        channel = by_method.setdefault(method, Channel(method=method))
        time = processing_time(str(row.get("thoi_han_giai_quyet") or ""))
        if time is not None and time not in channel.times:
            channel.times.append(time)
        channel.fees.extend(f for f in parse_fees(str(row.get("phi_le_phi") or "")) if f not in channel.fees)
        note = normalize(str(row.get("mo_ta") or ""))
        if note and note not in channel.note:
            channel.note = f"{channel.note} {note}".strip()
    return [by_method[m] for m in _METHOD_ORDER if m in by_method]


def _documents(rows: list[Json]) -> list[DocumentGroup]:
    documents = []
    for row in rows:
        name = normalize(str(row.get("ten_giay_to") or ""))
        if not name:
            continue
        originals, copies = parse_copy_counts(str(row.get("ghi_chu") or ""))
        form = clean_field(row.get("so_luong"))
        documents.append(Document(name=name, originals=originals, copies=copies, form=form))
    return [DocumentGroup(documents=documents)] if documents else []


def _legal_basis(rows: list[Json]) -> list[LegalDocument]:
    return legal_documents((str(r.get("so_ky_hieu") or ""), str(r.get("trich_yeu") or "")) for r in rows)
