"""Every intent of the domain has a Vietnamese name in the console."""

from __future__ import annotations

from pathlib import Path

import yaml

from api.staff.labels import INTENT_LABELS, intent_label

ROOT = Path(__file__).resolve().parents[2]


def test_every_domain_intent_has_a_vietnamese_label() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    missing = [i for i in domain["intents"] if (i if isinstance(i, str) else next(iter(i))) not in INTENT_LABELS]
    assert not missing, f"add these intents to api/staff/labels.py: {missing}"


def test_label_keeps_the_raw_name_as_a_hint() -> None:
    assert intent_label("ask_fee") == "hỏi phí, lệ phí (ask_fee)"
    assert intent_label("something_new") == "something_new" and intent_label(None) == "không rõ"
