"""The catalog API application: `uvicorn api.main:app` (or `make api`)."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware

from api.errors import document_validation_errors, validation_error_handler
from api.routers import (
    catalog_info,
    health,
    search,
    services,
    staff,
    staff_accounts,
    staff_callbacks,
    staff_conversations,
    staff_corrections,
    staff_handoff,
    staff_satisfaction,
    stats,
    web,
)
from api.security import SecurityMiddleware
from api.settings import Settings, get_settings
from api.staff.state import ConsoleState
from api.store import CatalogStore
from knowledge.privacy import install_log_masking

log = logging.getLogger("api")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    install_log_masking()  # citizens' questions reach the logs (uvicorn's access log holds /search?q=…)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = time.perf_counter()
        store = CatalogStore.open(settings.database_url)
        loaded = store.ensure_loaded(settings.catalog_dir)
        app.state.store = store
        # The console's own database (accounts, audit log, corrections): its tables exist from the start.
        app.state.staff_console = ConsoleState.create(settings.tracker_database_url, settings.staff_database_url)
        if settings.search_enabled:
            from api.staff.corrections import applied_wordings
            from index.search_service import load_service

            # The index `make index` built with the staff's corrections, if it did; else the plain one.
            app.state.search = load_service(
                settings.catalog_dir,
                build_missing=settings.build_missing_index,
                wordings=applied_wordings(app.state.staff_console.db)[0],
                only_if_built=True,
            )
            if settings.decision_none_below is not None:
                model = app.state.search.model
                model.thresholds = replace(model.thresholds, none_below=settings.decision_none_below)
            # The first query pays for lazy initialisation (tokenizer, torch kernels): over a second, more
            # than the bot's timeout. Pay it here, before the first citizen's question.
            app.state.search.decide("đăng ký khai sinh", k=1)
            # Staff corrections already applied (api/staff/corrections_apply.py) are served whichever index
            # was loaded: they survive a restart.
            from api.staff.corrections_apply import Sync, load_overlay

            load_overlay(app.state.search, app.state.staff_console.db)
            app.state.corrections_sync = Sync(app.state.search, app.state.staff_console.db)
        log.info(
            "catalog ready: %d procedures (%s) in %.2f s",
            store.count(),
            "loaded" if loaded else "already loaded",
            time.perf_counter() - started,
        )
        yield
        store.engine.dispose()
        app.state.staff_console.db.dispose()

    app = FastAPI(
        title="Trợ lý Dịch vụ công — API danh mục thủ tục",
        description="Tra cứu thủ tục hành chính: thông tin chi tiết, thống kê và tìm kiếm theo ngữ nghĩa.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    document_validation_errors(app)
    # Browsers may call the API only from the configured origins (the portal's widget pages).
    app.add_middleware(
        CORSMiddleware, allow_origins=settings.cors_origin_list, allow_methods=["GET", "POST"], allow_headers=["*"]
    )
    app.state.catalog_dir = settings.catalog_dir
    for module in (
        health,
        catalog_info,
        services,
        stats,
        search,
        web,
        staff,
        staff_conversations,
        staff_accounts,
        staff_handoff,
        staff_callbacks,
        staff_corrections,
        staff_satisfaction,
    ):
        app.include_router(module.router)
    # Outermost: a refused request costs no routing, and every response (errors, CORS) gets the headers.
    app.add_middleware(SecurityMiddleware, settings=settings)
    return app


app = create_app()
