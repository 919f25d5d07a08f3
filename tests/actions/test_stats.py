"""Counts of procedures and the catalog's date, as the actions say them, checked against the real catalog API."""

from __future__ import annotations

import pytest

pytest.importorskip("rasa_sdk")

from actions.catalog_info import ActionDataDate
from actions.stats import ActionStats
from tests.actions.catalog_records import api_json
from tests.actions.helpers import entity, make_tracker, rendered, run


def vn_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_stats_by_agency_and_level_match_the_api(catalog: str, responses: dict) -> None:
    expected = api_json(catalog, "/stats", agency="Bộ Tư pháp", online_level="toan_trinh")["total"]
    assert expected > 0
    tracker = make_tracker(
        "Bộ Tư pháp có bao nhiêu dịch vụ công toàn trình",
        "ask_stats",
        [entity("agency", "Bộ Tư pháp"), entity("online_level", "toan_trinh")],
    )
    dispatcher, _ = run(ActionStats(), tracker)
    [text] = rendered(dispatcher, responses)
    # What it counts and over what: all of the ministry's procedures, those with an online level, then the level.
    base = api_json(catalog, "/stats", agency="Bộ Tư pháp")
    known = base["total"] - base["by_online_level"].get("unknown", 0)
    assert text.startswith(
        f"Trong {vn_number(base['total'])} thủ tục của Bộ Tư pháp, {vn_number(known)} thủ tục có thông tin về mức độ "
        f"trực tuyến; trong đó {vn_number(expected)} thủ tục là dịch vụ công trực tuyến toàn trình."
    )
    assert "Nguồn: danh mục của trợ lý, dựng ngày" in text
    total = api_json(catalog, "/stats")["total"]
    dispatcher, _ = run(ActionStats(), make_tracker("có bao nhiêu thủ tục", "ask_stats"))
    [text] = rendered(dispatcher, responses)
    assert text.startswith(f"Danh mục có {vn_number(total)} thủ tục.")


def test_stats_honour_the_level_the_question_names(catalog: str, responses: dict) -> None:
    commune = api_json(catalog, "/stats", level="Cấp xã")["total"]
    assert 0 < commune < api_json(catalog, "/stats")["total"]
    dispatcher, _ = run(ActionStats(), make_tracker("có bao nhiêu thủ tục thực hiện ở cấp xã", "ask_stats"))
    [text] = rendered(dispatcher, responses)
    assert text.startswith(f"Danh mục có {vn_number(commune)} thủ tục thực hiện ở cấp xã.")
    dispatcher, _ = run(ActionStats(), make_tracker("có bao nhiêu thủ tục miễn phí", "ask_stats"))
    [text] = rendered(dispatcher, responses)
    assert "Chưa lọc được theo miễn phí" in text


def test_data_date_is_answered_from_the_manifest(catalog: str, responses: dict) -> None:
    info = api_json(catalog, "/catalog")
    dispatcher, _ = run(ActionDataDate(), make_tracker("dữ liệu cập nhật khi nào?", "ask_data_date"))
    [text] = rendered(dispatcher, responses)
    day = "/".join(reversed(info["build_date"].split("-")))
    assert text.startswith(f"Danh mục của trợ lý được dựng ngày {day}, gồm {vn_number(info['total'])} thủ tục")
    assert "- Cổng DVCQG: dữ liệu" in text and "- danh mục tỉnh Lạng Sơn và tỉnh Lâm Đồng: dữ liệu 04/2025" in text
