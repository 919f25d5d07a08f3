"""A catalog built by the real importer from the project's raw samples (tests/data/raw), laid out as the
real sources are: answers are composed from it and audited against those very files."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from knowledge.build import build
from knowledge.catalog_file import CATALOG_NAME

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
CHATBOT_RAW = "chatbot-tthc__chatbot_tthc/scripts/crawler/data/raw"
OTHERS = (
    "VoidKeishi__OpenGOV",
    "trannguyenhan__dichvucong_7sins",
    "baobuiquang__DVC_SearchAssistant_V2",
    "nhdandz__ThuTucHanhChinh",
)


@pytest.fixture(scope="session")
def sample_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sources")
    for name in OTHERS:
        shutil.copytree(RAW / name, root / name)
    shutil.copytree(RAW / "chatbot_tthc", root / CHATBOT_RAW)
    return root


@pytest.fixture(scope="session")
def sample_catalog(sample_sources: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """code → record (as the catalog API returns it) of the catalog built from the samples."""
    out = tmp_path_factory.mktemp("catalog")
    build(sample_sources, out)
    with gzip.open(out / CATALOG_NAME, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return {record["code"]: record for record in records}
