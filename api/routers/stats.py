from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.routers.params import AgencyQ, FieldQ, LevelQ, OnlineLevelQ, SubjectQ
from api.schemas import StatsOut
from api.snapshot import ServiceFilter

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=StatsOut, summary="Thống kê thủ tục theo mức trực tuyến, cơ quan, lĩnh vực")
async def stats(
    store: StoreDep,
    agency: AgencyQ = None,
    field: FieldQ = None,
    level: LevelQ = None,
    online_level: OnlineLevelQ = None,
    subject: SubjectQ = None,
) -> StatsOut:
    flt = ServiceFilter(agency=agency, field=field, level=level, online_level=online_level, subject=subject)
    return StatsOut.model_validate(store.stats(flt))
