"""Corrections in the console without the search loaded: who may make them, what is refused, the audit
log, the YAML export, and the NLU file `make train` reads."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import yaml

from api.staff import corrections as store
from api.staff.corrections_export import write_nlu
from api.staff.db import StaffDatabase
from tests.staff.conftest import BEARER, HTML, ORIGIN, ClientFactory, account_login, add_account
from tests.support import repo_output

BIRTH = "1.001193"  # Đăng ký khai sinh
QUESTION = "thủ tục làm giấy tờ cho em bé mới sinh"


def test_a_viewer_cannot_correct_an_editor_can_and_the_log_says_who(make_client: ClientFactory) -> None:
    client = make_client()
    viewer, editor = add_account(client, "xem1", "xem"), add_account(client, "sua1", "sửa")
    account_login(client, "xem1", viewer)
    page = client.get("/staff/corrections", headers=HTML)
    assert page.status_code == 200
    assert 'id="new-correction"' not in page.text  # no form offered to whom it would refuse
    data = {"question": QUESTION, "code": BIRTH, "source": "unanswered"}
    denied = client.post("/staff/corrections", data=data, headers=ORIGIN)
    assert denied.status_code == 403
    assert "vai trò «xem»" in denied.json()["detail"] and "«sửa»" in denied.json()["detail"]
    assert client.post("/staff/corrections/apply", headers=ORIGIN).status_code == 403

    account_login(client, "sua1", editor)
    stored = client.post("/staff/corrections", data=data, headers=ORIGIN, follow_redirects=False)
    assert stored.status_code == 303
    listing = client.get("/staff/corrections", headers=HTML).text
    assert "Đang chờ áp dụng (1)" in listing and f"mã {BIRTH}" in listing and "sua1" in listing
    applied = client.post("/staff/corrections/apply", headers=ORIGIN)
    assert applied.status_code == 200
    assert "Đã áp dụng 1 sửa lỗi" in applied.text
    assert "Chưa kiểm được" in applied.text  # nothing listens where Rasa should be: said, not hidden
    log = client.get("/staff/audit", headers=HTML).text
    assert log.index("áp dụng sửa lỗi") < log.index("gán thủ tục")  # newest first
    assert "Cán bộ sua1" in log and QUESTION in log


def test_corrections_are_checked_before_they_are_stored(make_client: ClientFactory) -> None:
    client = make_client()
    cases = [
        ({"question": QUESTION, "code": "9.999999"}, "Không có thủ tục mã «9.999999»"),
        ({"question": QUESTION, "intent": "no_such_intent"}, "không có trong domain.yml"),
        ({"question": QUESTION, "code": BIRTH, "intent": "ask_fee"}, "Chọn một trong hai"),
        ({"question": QUESTION}, "Chọn một trong hai"),
        ({"question": "  ?! ", "code": BIRTH}, "Nhập câu hỏi của người dân"),
        ({"question": "x" * 501, "code": BIRTH}, "Nhập câu hỏi của người dân"),
        ({"question": QUESTION, "intent": "nlu_fallback"}, "không có trong domain.yml"),
    ]
    for data, message in cases:
        response = client.post("/staff/corrections", data=data, headers=BEARER)
        assert response.status_code == 400, data
        assert message in response.text, data
    assert "Không có sửa lỗi nào đang chờ" in client.get("/staff/corrections", headers=BEARER).text


def test_the_form_comes_prefilled_from_the_other_pages(make_client: ClientFactory) -> None:
    client = make_client()
    link = f"/staff/corrections?question={quote('tôi mất CCCD 012345678901')}&source=report&ref=dong%203&code={BIRTH}"
    page = client.get(link, headers=BEARER).text
    assert 'value="tôi mất CCCD 012345678901"' in page
    assert f'value="{BIRTH}"' in page and "Từ báo cáo chạy hàng loạt: dong 3" in page
    assert client.get("/staff/corrections?question=" + "x" * 501, headers=BEARER).status_code == 422
    stored = client.post(
        "/staff/corrections", data={"question": "tôi mất CCCD 012345678901", "code": BIRTH}, headers=BEARER
    )
    assert stored.status_code == 200  # followed the redirect
    assert "012345678901" not in stored.text  # the ID number is masked before it is stored


def test_a_new_correction_of_the_same_wording_replaces_the_old_and_export_lists_them(
    make_client: ClientFactory,
) -> None:
    client = make_client()
    for data in (
        {"question": QUESTION, "code": "1.000894"},
        {"question": QUESTION.upper().replace("Ủ", "U"), "code": BIRTH},  # the same wording, differently typed
        {"question": "có tốn tiền không", "intent": "ask_fee"},
    ):
        assert client.post("/staff/corrections", data=data, headers=BEARER).status_code == 200
    assert client.post("/staff/corrections/apply", headers=BEARER).status_code == 200
    exported = client.get("/staff/corrections.yaml", headers=BEARER)
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    data = yaml.safe_load(exported.text)
    assert [(w["code"], w["by"]) for w in data["procedure_wordings"]] == [(BIRTH, "hệ thống")]
    assert data["procedure_wordings"][0]["applied_at"]
    assert data["nlu"] == [{"intent": "ask_fee", "examples": "- có tốn tiền không\n"}]
    assert data["intent_examples"][0]["question"] == "có tốn tiền không"


def test_withdrawn_corrections_leave_the_search_and_the_record_stays(make_client: ClientFactory) -> None:
    client = make_client()
    client.post("/staff/corrections", data={"question": QUESTION, "code": BIRTH}, headers=BEARER)
    client.post("/staff/corrections/apply", headers=BEARER)
    item = store.current(client.app.state.staff_console.db)[0]  # type: ignore[attr-defined]
    gone = client.post(f"/staff/corrections/{item.id}/withdraw", headers=BEARER, follow_redirects=False)
    assert gone.status_code == 303
    assert store.current(client.app.state.staff_console.db) == []  # type: ignore[attr-defined]
    assert "gỡ sửa lỗi" in client.get("/staff/audit", headers=BEARER).text
    assert client.post("/staff/corrections/99999/withdraw", headers=BEARER).status_code == 404


def test_make_train_reads_applied_intent_corrections(make_client: ClientFactory, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    client = make_client(staff_database_url=url)
    client.post("/staff/corrections", data={"question": "phí bao nhiêu vậy", "intent": "ask_fee"}, headers=BEARER)
    db = StaffDatabase.open(url)
    nlu = tmp_path / "nlu.yml"
    assert not write_nlu(db, nlu) and not nlu.exists()  # pending: not training data yet
    client.post("/staff/corrections/apply", headers=BEARER)
    assert write_nlu(db, nlu)
    assert yaml.safe_load(nlu.read_text(encoding="utf-8"))["nlu"] == [
        {"intent": "ask_fee", "examples": "- phí bao nhiêu vậy\n"}
    ]
    db.dispose()

    def model_key(staff_url: str | None) -> list[str]:
        env = {k: v for k, v in os.environ.items() if k != "STAFF_DATABASE_URL"}
        env["CORRECTIONS_NLU"] = str(tmp_path / "make" / "nlu-corrections.yml")
        env.update({"STAFF_DATABASE_URL": staff_url} if staff_url else {})
        printed = repo_output(
            ["make", "-s", "--no-print-directory", "--eval=__k: ; @echo $(RASA_MODEL_KEY) $(CORRECTIONS_DATA)", "__k"],
            env=env,
        )
        return printed.split()

    plain, corrected = model_key(None), model_key(url)
    assert corrected[0] != plain[0]  # the model is trained again with the corrections
    assert Path(corrected[1]).read_text(encoding="utf-8") == nlu.read_text(encoding="utf-8")
