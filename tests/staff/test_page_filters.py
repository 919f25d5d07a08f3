"""What the console's templates apply to text: Vietnamese intent names, the bot's light markup."""

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


def test_bot_markup_is_rendered_and_nothing_else() -> None:
    from api.staff.pages import bot_markup

    html = str(
        bot_markup('**Hồ sơ** <b>x</b> [Xem trên Cổng](https://dichvucong.gov.vn/p?a=1&b="2") [gọi](tel:18001096)')
    )
    assert html.startswith("<strong>Hồ sơ</strong> &lt;b&gt;x&lt;/b&gt; ")
    assert '<a href="https://dichvucong.gov.vn/p?a=1&amp;b=&#34;2&#34;" rel="noopener noreferrer"' in html
    assert '<a href="tel:18001096"' in html
    assert str(bot_markup("[x](javascript:alert(1))")) == "[x](javascript:alert(1))"
