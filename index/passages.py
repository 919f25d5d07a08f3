"""The passages indexed for each procedure: its name, a readable description, citizens' wording,
and short extracts of its documents and conditions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.aliases import Aliases
from knowledge.schema import Procedure

MAX_CHARS = 600
DESCRIPTION_CHARS = 300
# Embedding costs grow with passage length and 2 CPU cores embed about 2,000 tokens a second, so
# the long extracts (documents, conditions) feed only the lexical index.
DENSE_KINDS = frozenset({"name", "description", "alias"})


@dataclass(frozen=True)
class Passage:
    code: str
    kind: str  # name | description | alias | documents | conditions
    text: str


def _join(parts: Iterable[str | None], sep: str = "; ") -> str:
    return sep.join(p for p in parts if p)


def passages_for(record: Procedure, aliases: Aliases) -> list[Passage]:
    out = [Passage(record.code, "name", record.name)]
    description = _join(
        [
            record.name,
            f"Lĩnh vực: {record.field}" if record.field else None,
            f"Cơ quan: {record.executing_agency or record.competent_agency}"
            if record.executing_agency or record.competent_agency
            else None,
            f"Đối tượng: {', '.join(record.subjects)}" if record.subjects else None,
            f"Kết quả: {', '.join(record.results)}" if record.results else None,
        ],
        sep=". ",
    )
    if description != record.name:
        out.append(Passage(record.code, "description", description[:DESCRIPTION_CHARS]))
    out.extend(Passage(record.code, "alias", alias) for alias in aliases.procedures.get(record.code, ()))
    documents = _join(d.name for group in record.documents for d in group.documents)
    if documents:
        out.append(Passage(record.code, "documents", f"{record.name}. Hồ sơ: {documents}"[:MAX_CHARS]))
    if record.conditions:
        out.append(Passage(record.code, "conditions", f"{record.name}. Điều kiện: {record.conditions}"[:MAX_CHARS]))
    return out
