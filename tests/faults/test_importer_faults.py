"""`make catalog` given malformed source files: they are skipped and reported, the rest is imported, and a
crash mid-write never leaves a half-written catalog.

The build runs over a copy of the project's own raw samples (tests/data/raw), laid out as the real
sources are, with broken files added to it.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import common.files
from knowledge.build import build
from knowledge.catalog_file import CATALOG_NAME, MANIFEST_NAME, iter_records

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
CHATBOT_RAW = "chatbot-tthc__chatbot_tthc/scripts/crawler/data/raw"
GARBAGE = bytes(range(256)) * 8


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    root = tmp_path / "sources"
    for name in (
        "VoidKeishi__OpenGOV",
        "trannguyenhan__dichvucong_7sins",
        "baobuiquang__DVC_SearchAssistant_V2",
        "nhdandz__ThuTucHanhChinh",
    ):
        shutil.copytree(RAW / name, root / name)
    shutil.copytree(RAW / "chatbot_tthc", root / CHATBOT_RAW)
    return root


def reports(manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    by_name: dict[str, list[dict[str, Any]]] = {}
    for report in manifest["sources"]:
        by_name.setdefault(report["name"], []).append(report)
    return by_name


def codes(out: Path) -> set[str]:
    return {r.code for r in iter_records(out / CATALOG_NAME)}


def test_malformed_files_are_skipped_and_reported(sources: Path, tmp_path: Path) -> None:
    clean = build(sources, tmp_path / "clean")
    clean_codes = codes(tmp_path / "clean")

    # One broken file inside a source of many files: only that file is lost.
    (sources / CHATBOT_RAW / "bo-tu-phap" / "1.000111.json").write_text('{"ma_thu_tuc": "1.000111", "ten_th', "utf-8")
    (sources / CHATBOT_RAW / "bo-tu-phap" / "1.000112.json").write_bytes(GARBAGE)
    (sources / "nhdandz__ThuTucHanhChinh/data/extracted_fixed/1.000113.json").write_bytes(GARBAGE)
    # A source that is a single file: that source is lost, reported, and the others still imported.
    (sources / "trannguyenhan__dichvucong_7sins/databases/data.json").write_text('[{"Mã thủ tục": "1.0', "utf-8")
    (sources / "baobuiquang__DVC_SearchAssistant_V2/_derived/langson_1842_from_xlsx.csv").write_text(
        "wrong,columns\n1,2\n", "utf-8"
    )
    (sources / "baobuiquang__DVC_SearchAssistant_V2/url/cache").write_bytes(GARBAGE)

    out = tmp_path / "broken"
    manifest = build(sources, out)
    by_name = reports(manifest)

    chatbot = by_name["chatbot-tthc__chatbot_tthc"][0]
    assert "error" not in chatbot
    assert chatbot["records"] == reports(clean)["chatbot-tthc__chatbot_tthc"][0]["records"]
    assert [s.split(":")[0] for s in chatbot["skipped_files"]] == [
        "bo-tu-phap/1.000111.json",
        "bo-tu-phap/1.000112.json",
    ]
    nhdandz = by_name["nhdandz__ThuTucHanhChinh"][0]
    assert any("1.000113.json" in s for s in nhdandz["skipped_files"]), nhdandz
    assert nhdandz["records"] == reports(clean)["nhdandz__ThuTucHanhChinh"][0]["records"]
    sevensins = by_name["trannguyenhan__dichvucong_7sins"][0]
    assert sevensins["records"] == 0 and "data.json" in sevensins["error"]
    provincial = by_name["baobuiquang__DVC_SearchAssistant_V2"]
    assert len(provincial) == 2 and all(r["records"] == 0 and r["error"] for r in provincial), provincial
    assert any("missing columns" in r["error"] for r in provincial)

    # Everything the healthy sources hold is still in the catalog, and it is a complete, valid file.
    imported = codes(out)
    assert {"1.001193", "2.000635", "1.004222"} <= imported <= clean_codes
    assert manifest["total"] == len(imported)
    assert json.loads((out / MANIFEST_NAME).read_text("utf-8"))["catalog_sha256"] == manifest["catalog_sha256"]


class FailingHalfway:
    """A file handle that writes half of what it is given, then fails as a full disk would."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def __enter__(self) -> FailingHalfway:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._handle.close()

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def test_a_write_failing_halfway_leaves_the_previous_catalog(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "catalog"
    build(sources, out)
    before = {name: (out / name).read_bytes() for name in (CATALOG_NAME, MANIFEST_NAME)}
    # A different input, so that the failed build would have changed both files.
    shutil.rmtree(sources / "nhdandz__ThuTucHanhChinh")

    real_fdopen = os.fdopen
    monkeypatch.setattr(common.files.os, "fdopen", lambda fd, mode: FailingHalfway(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="No space left"):
        build(sources, out)

    assert {name: (out / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(before), "a temporary file was left behind"
    with gzip.open(out / CATALOG_NAME, "rt", encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == json.loads(before[MANIFEST_NAME])["total"]

    monkeypatch.undo()
    manifest = build(sources, out)  # the next build after the failure writes the new catalog
    assert (out / CATALOG_NAME).read_bytes() != before[CATALOG_NAME]
    assert manifest["total"] == len(codes(out))
