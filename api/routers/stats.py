from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.routers.params import FilterDep
from api.schemas import StatsOut

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=StatsOut, summary="Thống kê thủ tục theo mức trực tuyến, cơ quan, lĩnh vực")
async def stats(
    store: StoreDep,
    flt: FilterDep,
) -> StatsOut:
    return StatsOut.model_validate(store.stats(flt))
