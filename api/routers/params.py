"""Query parameters shared by the listing, statistics and search routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from api.snapshot import ServiceFilter
from knowledge.schema import OnlineLevelValue

MAX_QUERY_CHARS = 500

AgencyQ = Annotated[
    str | None,
    Query(max_length=200, description="Cơ quan (ban hành, có thẩm quyền hoặc thực hiện), không phân biệt dấu"),
]
FieldQ = Annotated[str | None, Query(max_length=200, description="Lĩnh vực, không phân biệt dấu")]
LevelQ = Annotated[str | None, Query(max_length=100, description="Cấp thực hiện, ví dụ: Cấp xã")]
OnlineLevelQ = Annotated[
    OnlineLevelValue | None, Query(description="Mức dịch vụ công trực tuyến: toan_trinh, mot_phan, none, unknown")
]
SubjectQ = Annotated[str | None, Query(max_length=200, description="Đối tượng thực hiện, ví dụ: Công dân Việt Nam")]


def service_filter(
    agency: AgencyQ = None,
    field: FieldQ = None,
    level: LevelQ = None,
    online_level: OnlineLevelQ = None,
    subject: SubjectQ = None,
) -> ServiceFilter:
    """The filters the listing and the statistics share, from their query parameters."""
    return ServiceFilter(agency=agency, field=field, level=level, online_level=online_level, subject=subject)


FilterDep = Annotated[ServiceFilter, Depends(service_filter)]
