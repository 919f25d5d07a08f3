from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response

from api.deps import StoreDep
from api.routers.params import MAX_QUERY_CHARS, FilterDep
from api.schemas import ErrorOut, ServiceListOut, ServiceSummary
from knowledge.schema import CODE_PATTERN, Procedure
from vitext.normalize import normalize

router = APIRouter(prefix="/services", tags=["services"])


@router.get("", response_model=ServiceListOut, summary="Danh sách thủ tục, lọc và phân trang")
async def list_services(
    store: StoreDep,
    filters: FilterDep,
    q: Annotated[
        str | None, Query(max_length=MAX_QUERY_CHARS, description="Từ khóa trong tên thủ tục, không phân biệt dấu")
    ] = None,
    page: Annotated[int, Query(ge=1, le=10_000, description="Trang (từ 1)")] = 1,
    page_size: Annotated[int, Query(ge=1, le=100, description="Số thủ tục mỗi trang")] = 20,
) -> ServiceListOut:
    flt = replace(filters, q=normalize(q) if q else None)
    total, items = store.search_names(flt, page, page_size)
    return ServiceListOut(
        total=total, page=page, page_size=page_size, items=[ServiceSummary.model_validate(i) for i in items]
    )


@router.get(
    "/{code}",
    summary="Toàn bộ thông tin một thủ tục",
    responses={200: {"model": Procedure}, 404: {"model": ErrorOut}},
)
async def get_service(
    store: StoreDep, code: Annotated[str, Path(pattern=CODE_PATTERN, description="Mã thủ tục, ví dụ 1.001193")]
) -> Response:
    raw = store.get_json(code)
    if raw is None:
        raise HTTPException(status_code=404, detail=f"Không có thủ tục mã {code} trong danh mục.")
    # The stored JSON already is a validated Procedure; re-validating it per request would only cost time.
    return Response(content=raw, media_type="application/json")
