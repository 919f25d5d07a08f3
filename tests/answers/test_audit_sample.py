"""`make audit` on a fixed sample: every attribute answer of every record built from the project's raw
samples, checked against those raw files. The whole-catalog run is `make audit` (needs ../shared)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge.source_text import record_text
from scripts.audit import audit_record, responses
from scripts.audit_checks import SourceFacts, check_facts
from scripts.audit_templates import unreviewed_templates

# Findings about size, not truth: reported by `make audit`, not failures.
SIZE_ONLY = {"over_12_lines"}


def test_every_answer_states_only_what_its_sources_state(
    sample_catalog: dict[str, dict[str, Any]], sample_sources: Path
) -> None:
    templates = responses()
    problems = []
    replies = 0
    for code, record in sorted(sample_catalog.items()):
        source = SourceFacts.of(record_text(sample_sources, record["sources"]))
        rendered, findings = audit_record(record, source, templates)
        replies += rendered
        problems += [f"{code} {f.kind}: {f.token}" for f in findings if f.kind not in SIZE_ONLY]
    assert replies >= 11 * len(sample_catalog) > 100
    assert problems == []


def test_the_audit_catches_a_number_the_source_does_not_give(
    sample_catalog: dict[str, dict[str, Any]], sample_sources: Path
) -> None:
    record = sample_catalog["1.003361"]
    source = SourceFacts.of(record_text(sample_sources, record["sources"]))
    # What the old parser printed: a number that exists in no source, and a date that is not there.
    found = check_facts({"legal_basis": "- 02443/2024/QH15: Luật số 43/2024/QH15 ngày 29/6/2"}, source, set())
    assert [(f.kind, f.token) for f in found] == [("legal_number_absent", "02443/2024/QH15")]
    found = check_facts({"fees": "- Trực tuyến: 15 ngày; 12.345 đồng"}, source, set())
    assert {f.token for f in found} == {"12.345"}
    found = check_facts({"times": "- Trực tiếp: 7 ngày (ngày 31/12/2099)"}, source, set())
    assert "date_absent" in {f.kind for f in found}


def test_templates_frame_and_assert_nothing() -> None:
    templates = responses()
    assert unreviewed_templates(templates) == []
    answers = {name: text for name, text in templates.items() if name.startswith("utter_answer_")}
    for name, text in answers.items():
        assert "ví dụ" not in text.lower(), name  # no example no source gives ("ví dụ nộp bản gốc, nhận kết quả")
        assert not any(ch.isdigit() for ch in text), name
        assert text.endswith("{footer}"), name
