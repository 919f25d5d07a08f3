"""Pydantic models of one procedure record in the normalised catalog.

Field descriptions are Vietnamese because they are shown to civil servants in the API docs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from common.codes import CODE_PATTERN

ChannelMethod = Literal["online", "postal", "direct"]
OnlineLevelValue = Literal["toan_trinh", "mot_phan", "none", "unknown"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProcessingTime(_Model):
    value: float | None = Field(None, description="Số lượng thời gian (để trống nếu nguồn không ghi bằng số)")
    unit: str | None = Field(None, description="Đơn vị: ngày làm việc, ngày, giờ, tháng, năm…")
    text: str = Field("", description="Nguyên văn theo nguồn")


FeeKind = Literal["free", "free_but_priced", "stated", "corrected", "written_otherwise", "described", "amount"]


class FeeItem(_Model):
    heading: str = Field("", description='Đề mục của mức thu trong biểu phí ("Đối với đất ở:")')
    text: str = Field(description="Mệnh đề nêu mức thu, nguyên văn")


class FeeReading(_Model):
    """How the fee's amount and its description relate, read once by the build (knowledge/parsing/fee_reading.py)."""

    kind: FeeKind = Field(
        description="free: miễn phí; free_but_priced: ghi miễn phí nhưng kèm mức thu; stated: số tiền, mô tả không "
        "nêu số khác; corrected: số tiền đã sửa theo mô tả; written_otherwise: ô phí ghi số khác; described: chỉ "
        "có mô tả; amount: chỉ có số tiền"
    )
    written: str = Field("", description="Số tiền như ô phí ghi, khi khác số tiền đã đọc")
    detail: str = Field("", description="Phần mô tả ngoài số tiền")
    items: list[FeeItem] = Field(default_factory=list, description="Các mức thu của một biểu phí dài")
    names_amount: bool = Field(False, description="Mô tả có nêu một số tiền khác 0")


class Fee(_Model):
    amount_vnd: int | None = Field(None, description="Số tiền (đồng); 0 là miễn phí; trống nếu nguồn không ghi số")
    description: str = Field("", description="Mô tả phí, lệ phí theo nguồn")
    reading: FeeReading | None = Field(None, description="Cách đọc số tiền và mô tả (do bước xây dựng danh mục ghi)")


class Channel(_Model):
    method: ChannelMethod = Field(
        description="Hình thức nộp: online (trực tuyến), postal (bưu chính), direct (trực tiếp)"
    )
    times: list[ProcessingTime] = Field(default_factory=list, description="Thời hạn giải quyết")
    fees: list[Fee] = Field(default_factory=list, description="Phí, lệ phí")
    note: str = Field("", description="Ghi chú của hình thức nộp")


class Document(_Model):
    name: str = Field(description="Tên giấy tờ")
    originals: int | None = Field(None, description="Số bản chính")
    copies: int | None = Field(None, description="Số bản sao")
    form: str | None = Field(None, description="Mẫu đơn, tờ khai (nếu có)")


class DocumentGroup(_Model):
    case: str | None = Field(None, description="Trường hợp áp dụng (trống nếu áp dụng chung)")
    documents: list[Document] = Field(default_factory=list, description="Danh sách giấy tờ")


class LegalDocument(_Model):
    number: str | None = Field(None, description="Số, ký hiệu văn bản (nguyên văn theo nguồn)")
    kind: str | None = Field(None, description="Loại văn bản: Luật, Nghị định, Thông tư… (theo tên hoặc số hiệu)")
    date: str | None = Field(None, description="Ngày ban hành ghi trong tên văn bản (ngày/tháng/năm)")
    title: str = Field("", description="Trích yếu văn bản")


class OnlineLevel(_Model):
    level: OnlineLevelValue = Field(
        "unknown", description="Mức dịch vụ công trực tuyến: toan_trinh, mot_phan, none, unknown"
    )
    source: str | None = Field(None, description="Nguồn dữ liệu cho biết mức này")
    original: str | None = Field(None, description="Nguyên văn theo nguồn (ví dụ: Mức độ 4)")


class SourceRef(_Model):
    source: str = Field(description="Tên nguồn dữ liệu")
    url: str | None = Field(None, description="Địa chỉ trang gốc")
    ref: str | None = Field(None, description="Tệp hoặc mã bản ghi trong nguồn")
    date: str | None = Field(None, description="Thời điểm dữ liệu của nguồn (YYYY-MM)")


class Conflict(_Model):
    field: str = Field(description="Trường có giá trị khác nhau giữa các nguồn")
    source: str = Field(description="Nguồn của giá trị không được chọn")
    value: str = Field(description="Giá trị không được chọn (JSON)")


class Procedure(_Model):
    code: str = Field(pattern=CODE_PATTERN, description="Mã thủ tục hành chính, ví dụ 1.001193")
    name: str = Field(description="Tên thủ tục")
    field: str | None = Field(None, description="Lĩnh vực")
    levels: list[str] = Field(default_factory=list, description="Cấp thực hiện")
    promulgating_agency: str | None = Field(None, description="Cơ quan ban hành / quản lý (Bộ, ngành, tỉnh)")
    competent_agency: str | None = Field(None, description="Cơ quan có thẩm quyền")
    executing_agency: str | None = Field(None, description="Cơ quan thực hiện")
    subjects: list[str] = Field(default_factory=list, description="Đối tượng thực hiện")
    channels: list[Channel] = Field(default_factory=list, description="Cách thức thực hiện")
    documents: list[DocumentGroup] = Field(default_factory=list, description="Thành phần hồ sơ")
    steps: list[str] = Field(default_factory=list, description="Trình tự thực hiện")
    conditions: str | None = Field(None, description="Yêu cầu, điều kiện thực hiện")
    results: list[str] = Field(default_factory=list, description="Kết quả thực hiện")
    legal_basis: list[LegalDocument] = Field(default_factory=list, description="Căn cứ pháp lý")
    online_level: OnlineLevel = Field(default_factory=OnlineLevel, description="Mức độ dịch vụ công trực tuyến")
    decision: str | None = Field(None, description="Quyết định công bố")
    portal_url: str | None = Field(None, description="Trang thủ tục trên Cổng Dịch vụ công quốc gia")
    updated: str | None = Field(
        None, description="Ngày cập nhật theo nguồn (YYYY-MM-DD, hoặc YYYY-MM khi nguồn chỉ cho biết tháng)"
    )
    sources: list[SourceRef] = Field(default_factory=list, description="Các nguồn đã gộp")
    provenance: dict[str, str] = Field(default_factory=dict, description="Trường → nguồn cung cấp giá trị")
    conflicts: list[Conflict] = Field(default_factory=list, description="Giá trị khác nhau giữa các nguồn")
