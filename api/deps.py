"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings, get_settings
from api.store import CatalogStore


def get_store(request: Request) -> CatalogStore:
    store: CatalogStore = request.app.state.store
    return store


StoreDep = Annotated[CatalogStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
