from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, summary="Tình trạng dịch vụ")
def health(store: StoreDep) -> HealthOut:
    return HealthOut(status="ok", procedures=store.count(), catalog_sha256=store.loaded_hash())
