"""Read and write the committed catalog: gzip'd JSON lines, one procedure a line, sorted by code.

Writes are atomic (common/files.py) and byte-reproducible (no timestamp in the gzip header), so an
unchanged input gives an unchanged file and a crash never leaves a half-written catalog behind.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from knowledge.schema import Procedure

CATALOG_NAME = "catalog.jsonl.gz"
MANIFEST_NAME = "manifest.json"
DEFAULT_DIR = Path(__file__).resolve().parent / "data"


class CatalogMissingError(FileNotFoundError):
    """The normalised catalog has not been built."""


def encode(records: Iterable[Procedure]) -> bytes:
    text = "".join(
        json.dumps(r.model_dump(mode="json", exclude_defaults=False), ensure_ascii=False, sort_keys=True) + "\n"
        for r in records
    )
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def iter_records(path: Path | None = None) -> Iterator[Procedure]:
    path = path or DEFAULT_DIR / CATALOG_NAME
    if not path.exists():
        raise CatalogMissingError(f"{path} is missing: run `make catalog` to build the catalog.")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield Procedure.model_validate_json(line)
