"""Reading uploaded question files and scoring the bot's replies (no server needed)."""

from __future__ import annotations

import json
import unicodedata

import pytest

from api.staff.batch import BatchQuestion, BatchResult, BatchUploadError, codes_in_reply, parse_upload
from api.staff.rasa_client import BotMessage

LIMITS = {"max_rows": 500, "max_bytes": 1_000_000}


def parse(text: str | bytes, filename: str = "questions.csv", **limits: int) -> list[BatchQuestion]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_upload(raw, filename, **{**LIMITS, **limits})


def test_csv_with_both_code_separators_and_an_excel_bom() -> None:
    text = "\ufeffquestion,expected_codes\nđăng ký khai sinh cần gì,1.001193\n\nlàm hộ chiếu,1.001456;1.001471\n"
    text += '"hỏi, có dấu phẩy",1.001456|1.001471\nthời tiết hôm nay,\n'
    questions = parse(text)
    assert [q.expected for q in questions] == [
        ("1.001193",),
        ("1.001456", "1.001471"),
        ("1.001456", "1.001471"),
        (),
    ]
    assert questions[2].question == "hỏi, có dấu phẩy"
    assert questions[0].line == 2


def test_csv_written_with_semicolons_and_decomposed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "đăng ký khai sinh")
    text = f"Question;Expected_Codes\n{decomposed};1.001193|1.000894\n"
    [question] = parse(text)
    assert question.question == "đăng ký khai sinh"  # normalised to NFC
    assert question.expected == ("1.001193", "1.000894")


def test_jsonl_in_the_make_eval_format() -> None:
    lines = [
        {"question": "đăng ký kết hôn cần gì", "gold_codes": ["1.000894"], "attribute": "documents"},
        {"question": "thời tiết thế nào", "gold_codes": []},
    ]
    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n"
    questions = parse(text, "dev.jsonl")
    assert [(q.question, q.expected) for q in questions] == [
        ("đăng ký kết hôn cần gì", ("1.000894",)),
        ("thời tiết thế nào", ()),
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "Tệp trống"),
        (b"   \n\n", "a.csv", "Tệp trống"),
        (
            "câu hỏi,mã\nx,1.001193\n".encode(),
            "a.csv",
            "phải có dòng tiêu đề với hai cột «question» và «expected_codes»",
        ),
        (b"question,expected_codes\n", "a.csv", "không có câu hỏi nào"),
        ("question,expected_codes\nđăng ký khai sinh,1.001193\n".encode("utf-16"), "a.csv", "không phải văn bản UTF-8"),
        ("question,expected_codes\nđăng ky khai sinh\n".encode("cp1258"), "a.csv", "không phải văn bản UTF-8"),
        (b"question,expected_codes\n,1.001193\n", "a.csv", "dòng 2: thiếu câu hỏi"),
        ("question,expected_codes\nđăng ký khai sinh,1.00119\n".encode(), "a.csv", "mã «1.00119» không đúng dạng"),
        (b'{"question": "x", "gold_codes": ["1.001193"]}\n{oops\n', "a.jsonl", "dòng 2: không phải JSON hợp lệ"),
        (b'["x", "1.001193"]\n', "a.jsonl", "mỗi dòng phải là một đối tượng"),
        (b'{"question": "x", "gold_codes": "1.001193 <b>"}\n', "a.jsonl", "không đúng dạng mã thủ tục"),
    ],
)
def test_bad_files_say_what_to_fix(content: bytes, filename: str, message: str) -> None:
    with pytest.raises(BatchUploadError, match=message):
        parse(content, filename)


def test_limits_on_rows_and_bytes() -> None:
    text = "question,expected_codes\n" + "".join(f"câu hỏi {i},1.001193\n" for i in range(11))
    with pytest.raises(BatchUploadError, match="Tệp có 11 câu hỏi, tối đa 10 câu"):
        parse(text, max_rows=10)
    assert len(parse(text, max_rows=11)) == 11
    with pytest.raises(BatchUploadError, match="Tệp quá lớn"):
        parse(text, max_bytes=100)


def test_every_bad_line_is_listed_up_to_ten() -> None:
    text = "question,expected_codes\n" + ",1.001193\n" * 12
    with pytest.raises(BatchUploadError) as caught:
        parse(text)
    message = str(caught.value)
    assert "dòng 2: thiếu câu hỏi" in message
    assert "dòng 11: thiếu câu hỏi" in message
    assert "và 2 lỗi khác" in message


def test_codes_are_read_from_the_text_then_the_buttons() -> None:
    messages: list[BotMessage] = [
        {"text": "Có vài thủ tục gần với câu hỏi của bạn. Bạn chọn thủ tục đúng nhé:"},
        {
            "text": "",
            "buttons": [
                {
                    "title": "Thủ tục đăng ký khai sinh (mã 1.001193)",
                    "payload": '/choose_procedure{"procedure_code": "1.001193"}',
                },
                {"title": "Khác", "payload": '/choose_procedure{"procedure_code": "1.000894"}'},
            ],
        },
    ]
    assert codes_in_reply(messages) == ("1.001193", "1.000894")
    answer: list[BotMessage] = [{"text": "Hồ sơ Thủ tục đăng ký kết hôn (mã 1.000894):\n- Tờ khai (mã 1.001193)"}]
    assert codes_in_reply(answer) == ("1.000894", "1.001193")
    assert codes_in_reply([{"text": "Nghị định 123/2015 ngày 1.001193"}]) == ()


def test_a_question_passes_when_the_first_code_is_expected() -> None:
    item = BatchQuestion(2, "đăng ký khai sinh", ("1.001193",))
    assert BatchResult(item, ("1.001193", "1.000894"), "…").passed
    assert not BatchResult(item, ("1.000894", "1.001193"), "…").passed
    assert not BatchResult(item, (), "…").passed
    assert not BatchResult(item, ("1.001193",), "", error="Bot không trả lời").passed
    out_of_scope = BatchQuestion(3, "thời tiết", ())
    assert BatchResult(out_of_scope, (), "Xin lỗi, tôi chỉ hỗ trợ …").passed
    assert not BatchResult(out_of_scope, ("1.001193",), "…").passed
