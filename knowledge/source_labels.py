"""How a citizen is told where a fact comes from: the raw sources by the public list they copy."""

from __future__ import annotations

# Sources crawled from the national portal (Cổng Dịch vụ công quốc gia).
NATIONAL_SOURCES = frozenset({"chatbot-tthc__chatbot_tthc", "VoidKeishi__OpenGOV", "nhdandz__ThuTucHanhChinh"})
PROVINCIAL_SOURCE = "baobuiquang__DVC_SearchAssistant_V2"
LABELS = {
    PROVINCIAL_SOURCE: "danh mục tỉnh Lạng Sơn và tỉnh Lâm Đồng",
    "trannguyenhan__dichvucong_7sins": "bản tổng hợp thủ tục năm 2021",
}


def source_label(source: str, ref: str | None = None) -> str:
    """ "Cổng DVCQG", or the provincial list a reference points into ("danh mục tỉnh Lạng Sơn")."""
    if source in NATIONAL_SOURCES:
        return "Cổng DVCQG"
    if source == PROVINCIAL_SOURCE and ref:
        return "danh mục tỉnh Lạng Sơn" if "langson" in ref else "danh mục tỉnh Lâm Đồng"
    return LABELS.get(source, source)
