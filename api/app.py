"""The FastAPI application: ``create_app(store)`` for tests, ``app`` factory for uvicorn."""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI

import api.routes
from api.costly import Admission
from api.disclosure import DisclosureRule
from api.middleware import BodyLimit, SecurityHeaders, max_body_bytes_from_env
from api.problems import document_problems, install_problem_handlers
from api.ratelimit import RateLimiter
from api.security import GUARD, KeyStore
from api.warmup import index_files_of
from api.warmup import warm_up as start_warm_up
from graph.config import Settings, open_store
from graph.store import GraphStore


def _routers() -> list[tuple[APIRouter, bool]]:
    """Every ``router`` in ``api/routes``: an area of the API is one module, found at start-up;
    with whether it goes through the guard (every module but one that says ``GUARDED = False``)."""
    found = []
    for info in sorted(pkgutil.iter_modules(api.routes.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"api.routes.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            guarded = bool(getattr(module, "GUARDED", True))
            found.append((getattr(module, "ORDER", 100), info.name, router, guarded))
    return [(router, guarded) for _, _, router, guarded in sorted(found, key=lambda item: (item[0], item[1]))]


def create_app(
    store: GraphStore | None = None,
    *,
    settings: Settings | None = None,
    keys: KeyStore | None = None,
    public_read: bool | None = None,
    warm_up: bool | None = None,
    index_files: Path | None = None,
) -> FastAPI:
    """The app over ``store`` (or the configured one, opened at start-up). ``index_files``:
    where match indexes are saved and loaded (``$INNOGRAPH_DATA_DIR/match-index`` for the
    configured store; none for a test's store unless given)."""
    settings = settings or Settings.from_env()
    if warm_up is None:
        # On by default for a served app (INNOGRAPH_WARM_UP=0 turns it off); apps built around a
        # test's store do not warm up unless asked.
        warm_up = store is None and os.environ.get("INNOGRAPH_WARM_UP", "1").lower() not in (
            "0",
            "false",
            "no",
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
        index_files_of(app.state.store, index_files or (settings.data_dir / "match-index" if owned else None))
        app.state.warm_up = start_warm_up(app.state.store) if warm_up else None
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="InnoGraph API",
        summary="创新图谱 — the innovation-ecosystem graph: search, partners, demand matching, clusters",
        version="1.0.0",
        lifespan=lifespan,
        # Swagger UI comes from api/routes/docs.py (local assets); ReDoc ships in no package.
        docs_url=None,
        redoc_url=None,
        # A trailing-slash redirect would copy the request's Host header into Location.
        redirect_slashes=False,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.keys = keys or KeyStore(Path(settings.data_dir) / "api-keys.json")
    if public_read is None:
        public_read = os.environ.get("INNOGRAPH_PUBLIC_READ", "1").lower() not in ("0", "false", "no")
    app.state.public_read = public_read
    # Per-key and per-address token buckets (INNOGRAPH_RATE_LIMIT, INNOGRAPH_ANON_RATE_LIMIT).
    app.state.rate_limiter = RateLimiter.from_env()
    # What sums over firms readers may see (INNOGRAPH_DISCLOSURE_MIN_FIRMS / _MAX_SHARE).
    app.state.disclosure = DisclosureRule.from_env()
    # Bounds on concurrent recomputation (INNOGRAPH_MAX_RECOMPUTES, INNOGRAPH_MAX_WAITING).
    app.state.admission = Admission.from_env()
    # Bodies over INNOGRAPH_MAX_BODY_BYTES (1 MiB) are refused before anything parses them.
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes_from_env())
    # Outermost, so every answer (413s included) carries the CSP and the other headers.
    app.add_middleware(SecurityHeaders)
    install_problem_handlers(app)
    document_problems(app)
    for router, guarded in _routers():
        # One guard (key check + rate limit) for every API route, so a new route cannot forget it.
        app.include_router(router, dependencies=[GUARD] if guarded else None)
    return app
