"""Console pages when something is wrong: bad uploads, Rasa down, no tracker store yet. No Rasa needed."""

from __future__ import annotations

from tests.staff.conftest import HTML, ORIGIN, ClientFactory, login


def upload(client, files=None, pasted=""):  # type: ignore[no-untyped-def]
    return client.post("/staff/batch", data={"pasted": pasted}, files=files, headers={**ORIGIN, **HTML})


def test_bad_uploads_say_why_and_keep_what_was_typed(make_client: ClientFactory) -> None:
    client = make_client(staff_batch_max_rows=3, staff_batch_max_bytes=2_000)
    login(client)
    empty = upload(client)
    assert empty.status_code == 400
    assert "Chọn một tệp CSV hoặc JSONL" in empty.text

    typed = "câu hỏi,mã\n<script>alert(1)</script>,1.001193\n"
    wrong_columns = upload(client, pasted=typed)
    assert wrong_columns.status_code == 400
    assert "hai cột «question» và «expected_codes»" in wrong_columns.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;,1.001193\n</textarea>" in wrong_columns.text
    assert "<script>" not in wrong_columns.text

    latin = upload(client, files={"file": ("cau-hoi.csv", "question,expected_codes\nđăng\n".encode("cp1258"))})
    assert latin.status_code == 400
    assert "không phải văn bản UTF-8" in latin.text
    assert "«cau-hoi.csv»" in latin.text

    too_many = "question,expected_codes\n" + "".join(f"câu {i},1.001193\n" for i in range(4))
    assert "tối đa 3 câu" in upload(client, pasted=too_many).text
    big = upload(client, files={"file": ("big.csv", b"question,expected_codes\n" + b"x,1.001193\n" * 300)})
    assert big.status_code == 400
    assert "Tệp quá lớn" in big.text
    huge_paste = upload(client, pasted="question,expected_codes\n" + "x,1.001193\n" * 300)
    assert huge_paste.status_code == 400
    assert "quá lớn" in huge_paste.text


def test_rasa_down_is_said_plainly(make_client: ClientFactory) -> None:
    client = make_client()
    login(client)
    page = client.post("/staff/inspect", data={"question": "Đăng ký khai sinh cần giấy tờ gì?"}, headers=ORIGIN)
    assert page.status_code == 200
    assert "Không kết nối được máy chủ Rasa tại http://127.0.0.1:9" in page.text
    assert "Đăng ký khai sinh cần giấy tờ gì?" in page.text  # the form keeps the question
    assert "Tìm kiếm chưa được bật" in page.text  # this app runs without the search index


def test_a_batch_against_a_stopped_rasa_reports_every_question_failed(make_client: ClientFactory) -> None:
    client = make_client()
    login(client)
    started = client.post(
        "/staff/batch",
        files={"file": ("q.csv", "question,expected_codes\nđăng ký khai sinh,1.001193\n".encode())},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert started.status_code == 303
    report_url = started.headers["location"]
    for _ in range(100):
        page = client.get(report_url, headers=HTML)
        if "Đang chạy" not in page.text:
            break
    assert "Không kết nối được máy chủ Rasa" in page.text
    assert 'id="accuracy">0,0%' in page.text
    assert "Hộ tịch" in page.text  # the field of 1.001193, from the catalog store


def test_without_a_tracker_store_the_pages_say_so(make_client: ClientFactory) -> None:
    client = make_client()
    login(client)
    for path in ("/staff/conversations", "/staff/unanswered", "/staff/conversations/abc"):
        page = client.get(path, headers=HTML)
        assert page.status_code == 503
        assert "Chưa đọc được kho hội thoại của Rasa" in page.text


def test_unknown_report(make_client: ClientFactory) -> None:
    client = make_client()
    login(client)
    assert client.get("/staff/reports/nope", headers=HTML).status_code == 404
    assert client.get("/staff/reports/nope.csv").status_code == 404
