"""`make audit`: render every attribute answer for every catalog record and check it against the raw
text behind the record (scripts/audit_checks.py says what is checked). Prints counts per finding and
the worst examples, then JSON on its last line.

Usage: python -m scripts.audit [--sources DIR] [--catalog DIR] [--every N] [--worst K]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, cast

import yaml

from actions.records import Procedure
from actions.reply import ATTRIBUTES, compose
from knowledge.source_text import SourceTextError, record_text
from scripts.audit_checks import (
    Finding,
    SourceFacts,
    check_facts,
    check_fee,
    check_footer,
    check_stored_fees,
    check_times,
    fee_sentences,
)
from scripts.audit_templates import unreviewed_templates

ROOT = Path(__file__).resolve().parents[1]
PORTAL_HOME = "https://dichvucong.gov.vn"
MAX_LINES = 12
_PLACEHOLDER = re.compile(r"\{([^\n{}]+?)\}")


def responses(domain: Path = ROOT / "domain.yml") -> dict[str, str]:
    data = yaml.safe_load(domain.read_text(encoding="utf-8"))
    return {name: variants[0]["text"] for name, variants in data["responses"].items()}


def fill(template: str, values: dict[str, Any]) -> str:
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), template)


def _months(record: dict[str, Any]) -> set[str]:
    dates = [record.get("updated") or ""] + [s.get("date") or "" for s in record.get("sources") or []]
    return {f"{d[5:7]}/{d[:4]}" for d in dates if re.match(r"^\d{4}-\d{2}", d)}


def views(buttons: list[dict[str, Any]]) -> list[str]:
    """The views ("cases:1", "general:2") the buttons of an answer open."""
    payloads = [b.get("payload") or "" for b in buttons]
    return [json.loads(p[p.index("{") :])["view"] for p in payloads if '"view"' in p]


def audit_record(record: dict[str, Any], source: SourceFacts, templates: dict[str, str]) -> tuple[int, list[Finding]]:
    """(replies rendered, findings) for every attribute of one record, and the views its buttons open."""
    findings: list[Finding] = []
    rendered = 0
    fee_texts = [f.get("description") or "" for ch in record.get("channels") or [] for f in ch.get("fees") or []]
    fee_texts += fee_sentences(record.get("steps") or [])
    findings += check_stored_fees(record)
    for attribute in ATTRIBUTES:
        first = compose(cast(Procedure, record), attribute, PORTAL_HOME)
        # The first answer's buttons open the other parts of a long answer: those are audited too.
        for reply in [
            first,
            *(compose(cast(Procedure, record), attribute, PORTAL_HOME, view) for view in views(first.buttons)),
        ]:
            rendered += 1
            text = fill(templates[reply.response], reply.values)
            findings += check_facts(reply.values, source, _months(record))
            findings += check_footer(str(reply.values.get("footer", "")), _months(record))
            if attribute == "fee":
                findings += check_fee(text, fee_texts)
            if attribute == "processing_time":
                findings += check_times(str(reply.values.get("times", "")))
            shown = "".join(str(v) for k, v in reply.values.items() if k != "procedure_name")
            if shown.count("…") > source.text.count("…"):
                findings.append(Finding("cut_with_ellipsis", attribute))
            if text.count("\n") + 1 > MAX_LINES:
                findings.append(Finding("over_12_lines", attribute))
    return rendered, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kiểm tra mọi câu trả lời với văn bản nguồn của thủ tục.")
    parser.add_argument("--sources", type=Path, default=ROOT.parent / "shared" / "data" / "sources")
    parser.add_argument("--catalog", type=Path, default=ROOT / "knowledge" / "data")
    parser.add_argument("--every", type=int, default=1, help="kiểm tra 1 trên N thủ tục (mẫu cố định)")
    parser.add_argument("--worst", type=int, default=8)
    args = parser.parse_args(argv)
    templates = responses()
    counts: Counter[str] = Counter()
    worst: list[tuple[int, str, list[str]]] = []
    examples: dict[str, list[str]] = {}
    records = replies = 0
    with gzip.open(args.catalog / "catalog.jsonl.gz", "rt", encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            if index % args.every:
                continue
            record = json.loads(line)
            try:
                source = SourceFacts.of(record_text(args.sources, record.get("sources") or []))
            except SourceTextError as error:
                counts["source_missing"] += 1
                print(f"{record['code']}: {error}", file=sys.stderr)
                continue
            rendered, findings = audit_record(record, source, templates)
            records += 1
            replies += rendered
            counts.update(f.kind for f in findings)
            for finding in findings:
                kept = examples.setdefault(finding.kind, [])
                if len(kept) < 3:
                    kept.append(f"{record['code']}: {finding.token}")
            facts = [f"{f.kind}: {f.token}" for f in findings if f.kind not in ("over_12_lines",)]
            if facts:
                worst.append((len(facts), record["code"], facts[:6]))
    for name in unreviewed_templates(templates):
        counts["template_unreviewed"] += 1
        print(f"mẫu câu chưa được duyệt (có thể khẳng định điều nguồn không nói): {name}", file=sys.stderr)
    for kind, found in sorted(examples.items()):
        print(f"ví dụ {kind}: {' | '.join(found)}")
    worst.sort(reverse=True)
    for size, code, facts in worst[: args.worst]:
        print(f"{code} ({size}): {'; '.join(facts)}")
    summary = {"records": records, "replies": replies, "findings": dict(sorted(counts.items()))}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
