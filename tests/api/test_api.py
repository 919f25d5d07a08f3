"""The catalog API over the real committed catalog."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["procedures"] >= 5700


def test_service_record(client: TestClient) -> None:
    response = client.get("/services/1.004222")
    assert response.status_code == 200
    record = response.json()
    assert record["code"] == "1.004222"
    fees = {ch["method"]: [f["amount_vnd"] for f in ch["fees"]] for ch in record["channels"]}
    assert 10000 in fees["online"]
    assert 20000 in fees["direct"]
    assert record["portal_url"].startswith("https://dichvucong.gov.vn/")


def test_unknown_code_is_404_json(client: TestClient) -> None:
    response = client.get("/services/9.999999")
    assert response.status_code == 404
    assert "9.999999" in response.json()["detail"]


@pytest.mark.parametrize("code", ["abc", "1.00119", "1.001193;drop", "%ZZ", "1.001193%00"])
def test_malformed_code_is_422(client: TestClient, code: str) -> None:
    response = client.get(f"/services/{code}")
    assert response.status_code == 422, response.text
    assert "định dạng" in response.json()["detail"]


def test_list_filters_and_pages(client: TestClient) -> None:
    first = client.get("/services", params={"q": "khai sinh", "page_size": 5}).json()
    second = client.get("/services", params={"q": "khai sinh", "page_size": 5, "page": 2}).json()
    assert first["total"] == second["total"] > 5
    assert len(first["items"]) == 5
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}
    assert (
        client.get("/services", params={"q": "khai sinh"}).json()
        == client.get("/services", params={"q": "KHAI SINH"}).json()
    )


def test_list_filter_by_online_level(client: TestClient) -> None:
    body = client.get("/services", params={"online_level": "toan_trinh", "page_size": 100}).json()
    assert body["total"] > 0
    assert {item["online_level"] for item in body["items"]} == {"toan_trinh"}
    assert client.get("/services", params={"online_level": "muc_do_9"}).status_code == 422


def test_stats_grouped_and_filtered(client: TestClient) -> None:
    everything = client.get("/stats").json()
    assert everything["total"] >= 5700
    assert everything["with_documents"] >= 3000
    justice = client.get("/stats", params={"agency": "Bộ Tư pháp"}).json()
    assert 0 < justice["total"] < everything["total"]
    assert sum(justice["by_field"].values()) == justice["total"]


def test_overlong_query_is_422_with_message(client: TestClient) -> None:
    response = client.get("/services", params={"q": "a" * 501})
    assert response.status_code == 422
    assert "500" in response.json()["detail"]


@pytest.mark.parametrize(
    "raw_query",
    [
        "q=%E0%A4",  # broken UTF-8 percent-encoding
        "q=%ZZkhai",  # broken percent-encoding
        "q=d%CC%A3%CC%82ng",  # NFD
        "q=%F0%9F%98%80%20khai%20sinh",  # emoji
        "q=%00%01%7F",  # control characters
        "q=%E2%80%AE%EF%BB%BF",  # bidi override, BOM
        "agency=%C0%80&field=%FF",  # invalid UTF-8
    ],
)
def test_odd_unicode_never_500(client: TestClient, raw_query: str) -> None:
    for path in ("/services", "/stats"):
        response = client.get(f"{path}?{raw_query}")
        assert response.status_code in (200, 422), (path, raw_query, response.text)


def test_nfd_query_matches_nfc(client: TestClient) -> None:
    import unicodedata

    nfc = "đăng ký khai sinh"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    by_nfd = client.get("/services", params={"q": nfd}).json()
    assert by_nfd["total"] > 0
    assert by_nfd == client.get("/services", params={"q": nfc}).json()


def test_openapi_documents_fields_in_vietnamese(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    procedure = spec["components"]["schemas"]["Procedure"]
    assert procedure["properties"]["channels"]["description"] == "Cách thức thực hiện"
    assert client.get("/docs").status_code == 200
