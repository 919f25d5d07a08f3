from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from api.deps import StoreDep
from api.routers.params import MAX_QUERY_CHARS, AgencyQ, OnlineLevelQ
from api.schemas import ChoiceOut, DecisionOut, SearchHit, SearchOut
from api.snapshot import ServiceFilter
from index.search_service import SearchService
from vitext.normalize import normalize

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, summary="Tìm thủ tục phù hợp với câu hỏi của người dân")
def search(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Câu hỏi, có hoặc không dấu")],
    k: Annotated[int, Query(ge=1, le=50, description="Số thủ tục trả về")] = 5,
    agency: AgencyQ = None,
    online_level: OnlineLevelQ = None,
) -> SearchOut:
    service: SearchService | None = getattr(request.app.state, "search", None)
    if service is None:
        raise HTTPException(status_code=503, detail="Chức năng tìm kiếm chưa được bật trên máy chủ này.")
    text = normalize(q)
    if not text:
        raise HTTPException(status_code=422, detail="«q» không được để trống.")
    sync = getattr(request.app.state, "corrections_sync", None)
    if sync is not None:  # another replica's «Áp dụng»: reload the corrections, at most every few seconds
        sync()
    allowed = store.codes(ServiceFilter(agency=agency, online_level=online_level)) if agency or online_level else None
    hits, decision = service.decide(text, k=k, allowed=allowed)
    return SearchOut(
        query=text,
        results=[SearchHit.model_validate(asdict(hit)) for hit in hits],
        decision=DecisionOut(
            kind=decision.kind,
            confidence=decision.confidence,
            choices=[ChoiceOut.model_validate(asdict(choice)) for choice in decision.choices],
            names_procedure=decision.names_procedure,
            alternatives=[ChoiceOut.model_validate(asdict(choice)) for choice in decision.alternatives],
        ),
    )
