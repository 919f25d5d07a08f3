"""The raw text behind a catalog record: what each of its source references points at, read again.

`make audit` checks every number, date and code an answer states against this text. A reference is
"path" (a whole file), "path:N" (line N of a text file) or "path:stt N" (the CSV row whose stt is N),
relative to the source's folder (chatbot-tthc's to its raw-data folder), as the importers write them.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from knowledge.importers import chatbot_tthc

# Where a source's references are relative to, below the sources root.
BASES = {chatbot_tthc.SOURCE.name: f"{chatbot_tthc.SOURCE.name}/{chatbot_tthc.RAW_DIR.as_posix()}"}
# OpenGOV's normalised detail has a raw API answer beside it: both are the source of that record.
COMPANIONS = {"data/procedures/": "backend/data/crawl/details/"}


class SourceTextError(LookupError):
    """A reference names a file or row that is not there: rebuild the catalog from these sources."""


def leaves(value: Any) -> list[str]:
    """Every string and number inside a JSON value, in order."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in leaves(item)]
    if isinstance(value, list):
        return [text for item in value for text in leaves(item)]
    return [] if value is None else [str(value)]


@lru_cache(maxsize=64)
def _lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=16)
def _csv_rows(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row.get("stt") or "": " \n".join(v or "" for v in row.values()) for row in csv.DictReader(handle)}


def _file_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return "\n".join(leaves(json.loads(text)))
    return text


def ref_text(root: Path, source: str, ref: str) -> str:
    """The raw text one reference points at."""
    base = root / BASES.get(source, source)
    path_part, _, where = ref.partition(":")
    path = base / path_part
    if not path.is_file():
        raise SourceTextError(f"{source}: {path_part} not found under {base}")
    if where.startswith("stt "):
        return _csv_rows(path).get(where.removeprefix("stt "), "")
    if where.isdigit():
        lines = _lines(path)
        line = lines[int(where) - 1] if 0 < int(where) <= len(lines) else ""
        return "\n".join(leaves(json.loads(line))) if path.suffix == ".jsonl" and line else line
    texts = [_file_text(path)]
    for prefix, companion in COMPANIONS.items():
        other = base / path_part.replace(prefix, companion, 1)
        if path_part.startswith(prefix) and other.is_file():
            texts.append(_file_text(other))
    return "\n".join(texts)


def record_text(root: Path, sources: list[dict[str, Any]]) -> str:
    """All raw text behind a record (its `sources` as stored in the catalog)."""
    return "\n".join(ref_text(root, s["source"], s["ref"]) for s in sources if s.get("ref"))
