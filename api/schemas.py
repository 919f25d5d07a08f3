"""Response schemas of the catalog API (request input is plain query parameters)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from knowledge.schema import OnlineLevelValue


class ErrorOut(BaseModel):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt")


class HealthOut(BaseModel):
    status: str = Field(description="ok khi dịch vụ sẵn sàng")
    procedures: int = Field(description="Số thủ tục trong kho")
    catalog_sha256: str | None = Field(description="Mã băm của bản danh mục đang nạp")


class ServiceSummary(BaseModel):
    code: str = Field(description="Mã thủ tục")
    name: str = Field(description="Tên thủ tục")
    field: str | None = Field(description="Lĩnh vực")
    levels: list[str] = Field(description="Cấp thực hiện")
    promulgating_agency: str | None = Field(description="Cơ quan ban hành / quản lý")
    executing_agency: str | None = Field(description="Cơ quan thực hiện")
    online_level: OnlineLevelValue = Field(description="Mức dịch vụ công trực tuyến")
    portal_url: str | None = Field(description="Trang thủ tục trên Cổng Dịch vụ công quốc gia")


class ServiceListOut(BaseModel):
    total: int = Field(description="Tổng số thủ tục khớp bộ lọc")
    page: int = Field(description="Trang hiện tại (từ 1)")
    page_size: int = Field(description="Số thủ tục mỗi trang")
    items: list[ServiceSummary] = Field(description="Các thủ tục của trang này")


class StatsOut(BaseModel):
    total: int = Field(description="Tổng số thủ tục khớp bộ lọc")
    with_documents: int = Field(description="Số thủ tục có thành phần hồ sơ")
    with_fees: int = Field(description="Số thủ tục có phí, lệ phí ghi bằng số")
    with_processing_time: int = Field(description="Số thủ tục có thời hạn giải quyết")
    with_channels: int = Field(description="Số thủ tục có cách thức thực hiện")
    by_online_level: dict[str, int] = Field(description="Số thủ tục theo mức dịch vụ công trực tuyến")
    by_agency: dict[str, int] = Field(description="Số thủ tục theo cơ quan ban hành / quản lý")
    by_field: dict[str, int] = Field(description="Số thủ tục theo lĩnh vực")


class CatalogSourceOut(BaseModel):
    name: str = Field(description="Tên nguồn dữ liệu gốc")
    label: str = Field(description="Tên nguồn như câu trả lời ghi (ví dụ: Cổng DVCQG)")
    date: str | None = Field(description="Thời điểm dữ liệu của nguồn (YYYY-MM)")
    records: int = Field(description="Số bản ghi đọc được từ nguồn")


class CatalogInfoOut(BaseModel):
    build_date: str = Field(description="Ngày dựng danh mục (YYYY-MM-DD)")
    total: int = Field(description="Tổng số thủ tục trong danh mục")
    sources: list[CatalogSourceOut] = Field(description="Các nguồn và thời điểm dữ liệu của từng nguồn")
    coverage: dict[str, int] = Field(description="Số thủ tục có từng trường thông tin")
    parse_warnings: dict[str, int] = Field(description="Số cảnh báo khi nhập, theo loại")


class SearchHit(BaseModel):
    code: str = Field(description="Mã thủ tục")
    name: str = Field(description="Tên thủ tục")
    score: float = Field(description="Điểm xếp hạng (tổng hợp ngữ nghĩa và từ khóa; càng cao càng khớp)")
    dense_score: float = Field(description="Độ tương đồng ngữ nghĩa của đoạn khớp nhất (cosine, 0 nếu không có)")
    matched: str = Field(description="Đoạn văn bản khớp nhất của thủ tục")
    variant_of: str | None = Field(None, description="Mã thủ tục chung nếu đây là một biến thể của nó")
    probability: float | None = Field(
        None,
        description="Xác suất đây là thủ tục được hỏi, theo mô hình quyết định (không có nếu ngoài 30 kết quả đầu)",
    )


class ChoiceOut(BaseModel):
    code: str = Field(description="Mã thủ tục (bản được nhiều nguồn mô tả nhất nếu nhiều thủ tục cùng tên)")
    name: str = Field(description="Tên thủ tục")
    probability: float = Field(description="Xác suất đây là thủ tục được hỏi")
    namesakes: list[str] = Field(description="Mã các thủ tục cùng tên (bản địa phương, cấp khác) trong kết quả")


class DecisionOut(BaseModel):
    kind: Literal["answer", "choose", "none"] = Field(
        description="answer: một thủ tục; choose: người dân chọn trong 2–4 thủ tục; "
        "none: danh mục không có thủ tục phù hợp"
    )
    confidence: float = Field(description="Độ tin cậy của quyết định (0–1, đã hiệu chỉnh trên câu hỏi có nhãn)")
    choices: list[ChoiceOut] = Field(description="Thủ tục trả lời (answer) hoặc các lựa chọn (choose); rỗng khi none")
    names_procedure: bool = Field(
        description="Câu hỏi có nêu một thủ tục/tình huống, không chỉ hỏi tiếp (ví dụ «còn lệ phí thì sao?» là không)"
    )
    alternatives: list[ChoiceOut] = Field(
        default_factory=list,
        description="Khi trả lời (answer) nhưng chưa đủ chắc: các thủ tục khác nên đưa ra bên cạnh câu trả lời",
    )


class SearchOut(BaseModel):
    query: str = Field(description="Câu hỏi sau khi chuẩn hóa")
    results: list[SearchHit] = Field(description="Các thủ tục phù hợp nhất, tốt nhất trước")
    decision: DecisionOut = Field(description="Quyết định trả lời cho câu hỏi này")
