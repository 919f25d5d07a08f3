"""`make catalog`: read every raw source, merge per code, write the catalog and its manifest.

Usage: python -m knowledge.build [--sources DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from common.files import write_atomic, write_json_atomic
from knowledge.catalog_file import (
    CATALOG_NAME,
    DEFAULT_DIR,
    MANIFEST_NAME,
    encode,
)
from knowledge.checks import ParseWarning, check, count_kinds
from knowledge.importers.base import Importer, SourceFormatError, SourceInfo
from knowledge.importers.registry import IMPORTERS
from knowledge.merge import MERGED_FIELDS, Candidate, merge, richness
from knowledge.parsing.fee_reading import with_fee_readings
from knowledge.schema import Procedure

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "shared" / "data" / "sources"


def collect(
    root: Path, importers: tuple[Importer, ...], warnings: list[ParseWarning] | None = None
) -> tuple[list[Candidate], list[dict[str, Any]]]:
    """All partial records, each checked against its own text (what was found goes to `warnings`),
    and one report row per source (records, codes, what was skipped)."""
    candidates: list[Candidate] = []
    found: list[ParseWarning] = [] if warnings is None else warnings
    reports: list[dict[str, Any]] = []
    for module in tqdm(importers, desc="Đọc nguồn dữ liệu", unit="nguồn", file=sys.stderr):
        info: SourceInfo = module.SOURCE
        report: dict[str, Any] = {"name": info.name, "repo": info.repo, "commit": info.commit, "date": info.date}
        records: list[Procedure] = []
        skipped: list[str] = []
        try:
            records = list(module.load(root, skipped))
        # A source that cannot be read is left out and reported; the others still make a catalog.
        except (SourceFormatError, OSError, ValueError, TypeError, KeyError) as error:
            report["error"] = str(error) if isinstance(error, (SourceFormatError, OSError)) else repr(error)
            print(f"Bỏ qua nguồn {info.name}: {error}", file=sys.stderr)
        for record in records:
            if record.updated is None:
                record = record.model_copy(update={"updated": info.date})
            # Each source reference carries its source's date: an answer says how current each field is.
            dated = [ref.model_copy(update={"date": ref.date or info.date}) for ref in record.sources]
            record = record.model_copy(update={"sources": dated})
            record, record_warnings = check(record, info.name)
            found.extend(record_warnings)
            candidates.append(Candidate(record=record, source=info.name, date=info.date))
        report["records"] = len(records)
        report["codes"] = len({r.code for r in records})
        report["skipped_files"] = sorted(skipped)
        reports.append(report)
    return candidates, reports


def build(root: Path, out: Path, importers: tuple[Importer, ...] = IMPORTERS) -> dict[str, Any]:
    warnings: list[ParseWarning] = []
    candidates, reports = collect(root, importers, warnings)
    by_code: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_code[candidate.record.code].append(candidate)
    merged = (merge(code, by_code[code]) for code in tqdm(sorted(by_code), desc="Gộp bản ghi", file=sys.stderr))
    records = [with_fee_readings(record) for record in merged]
    data = encode(records)
    manifest = _manifest(records, reports, data, out / MANIFEST_NAME)
    manifest["parse_warnings"] = count_kinds(warnings)
    # Catalog first, manifest last: a manifest always describes a complete catalog file.
    write_atomic(out / CATALOG_NAME, data)
    write_json_atomic(out / MANIFEST_NAME, manifest)
    return manifest


def coverage(records: list[Procedure]) -> dict[str, int]:
    dumped = [r.model_dump(mode="json") for r in records]
    table = {field: sum(richness(field, d[field]) > 0 for d in dumped) for field in MERGED_FIELDS}
    table["complete"] = sum(is_complete(r) for r in records)
    return table


def is_complete(record: Procedure) -> bool:
    """Documents, channels, a numeric processing time and a fee amount all parsed."""
    times = [t for ch in record.channels for t in ch.times if t.value is not None]
    fees = [f for ch in record.channels for f in ch.fees if f.amount_vnd is not None]
    return bool(record.documents and record.channels and times and fees)


def _manifest(records: list[Procedure], reports: list[dict[str, Any]], data: bytes, old: Path) -> dict[str, Any]:
    content_hash = hashlib.sha256(data).hexdigest()
    build_date = datetime.now(UTC).strftime("%Y-%m-%d")
    # Keep the old date when nothing changed, so a rebuild of the same input is byte-identical.
    if old.exists():
        previous = json.loads(old.read_text(encoding="utf-8"))
        if previous.get("catalog_sha256") == content_hash:
            build_date = previous.get("build_date", build_date)
    return {
        "build_date": build_date,
        "catalog": CATALOG_NAME,
        "catalog_sha256": content_hash,
        "total": len(records),
        "coverage": coverage(records),
        "sources": reports,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Xây dựng danh mục thủ tục hành chính từ các nguồn dữ liệu gốc.")
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="thư mục nguồn dữ liệu gốc")
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="thư mục ghi danh mục")
    args = parser.parse_args(argv)
    if not args.sources.is_dir():
        print(f"Không tìm thấy thư mục nguồn {args.sources}: chỉ định bằng --sources.", file=sys.stderr)
        return 2
    manifest = build(args.sources, args.out)
    for kind, count in manifest["parse_warnings"].items():
        print(f"cảnh báo khi nhập {kind}: {count}", file=sys.stderr)
    summary = {
        "total": manifest["total"],
        "coverage": manifest["coverage"],
        "parse_warnings": manifest["parse_warnings"],
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
