"""GET /search on the real app, model and index."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_search_returns_ranked_procedures(search_client: TestClient) -> None:
    body = search_client.get("/search", params={"q": "lam lai cccd bi mat", "k": 5}).json()
    results = body["results"]
    assert 1 <= len(results) <= 5
    assert {"code", "name", "score", "matched", "probability"} <= set(results[0])
    # In the decision model's order (its probability that each is the procedure asked about).
    assert [r["probability"] for r in results] == sorted((r["probability"] for r in results), reverse=True)
    assert any("căn cước" in r["name"].lower() for r in results[:3])


def test_search_decides_answer_choose_or_none(search_client: TestClient) -> None:
    body = search_client.get("/search", params={"q": "thủ tục đăng ký khai sinh cho con"}).json()
    decision = body["decision"]
    assert decision["kind"] in ("answer", "choose") and decision["names_procedure"]
    assert decision["choices"][0]["code"] == "1.001193"
    assert 0 < decision["confidence"] <= 1
    assert len(decision["choices"]) == (1 if decision["kind"] == "answer" else len(decision["choices"]))
    assert 1 <= len(decision["choices"]) <= 4

    chat = search_client.get("/search", params={"q": "hôm nay trời có mưa không nhỉ"}).json()["decision"]
    assert chat["kind"] == "none" and chat["choices"] == []

    follow_up = search_client.get("/search", params={"q": "còn lệ phí thì sao?"}).json()["decision"]
    assert follow_up["names_procedure"] is False


def test_search_filters_by_online_level(search_client: TestClient) -> None:
    body = search_client.get("/search", params={"q": "đăng ký kinh doanh", "online_level": "toan_trinh"}).json()
    assert body["results"], "the catalog has fully online business-registration procedures"
    for result in body["results"]:
        record = search_client.get(f"/services/{result['code']}").json()
        assert record["online_level"]["level"] == "toan_trinh"


def test_search_filters_by_agency(search_client: TestClient) -> None:
    body = search_client.get("/search", params={"q": "cấp giấy phép", "agency": "Bộ Tư pháp", "k": 10}).json()
    assert body["results"]
    for result in body["results"]:
        record = search_client.get(f"/services/{result['code']}").json()
        agencies = " ".join(
            filter(None, [record["promulgating_agency"], record["executing_agency"], record["competent_agency"]])
        )
        assert "tư pháp" in agencies.lower()


def test_search_rejects_empty_and_overlong(search_client: TestClient) -> None:
    assert search_client.get("/search", params={"q": ""}).status_code == 422
    assert search_client.get("/search", params={"q": "   "}).status_code == 422
    assert search_client.get("/search").status_code == 422
    response = search_client.get("/search", params={"q": "x" * 501})
    assert response.status_code == 422
    assert "500" in response.json()["detail"]
    assert search_client.get("/search", params={"q": "khai sinh", "k": 0}).status_code == 422


def test_search_odd_unicode_never_500(search_client: TestClient) -> None:
    for raw in ("q=%E0%A4", "q=%F0%9F%98%80", "q=%00%01", "q=d%CC%A3%CC%82ng%20k%C3%BD", "q=%ZZ"):
        assert search_client.get(f"/search?{raw}").status_code in (200, 422), raw
