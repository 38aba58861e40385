"""The brokers' web page: ``/`` and its static assets under ``/static/``.

The page is plain HTML, CSS and JavaScript shipped in ``api/web/`` (package data, located by
:mod:`api.web_assets`) — no build step and nothing
fetched from the internet by the browser; it talks to the rest of the API only over HTTP, so it
works the same on either store.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.web_assets import WEB_ROOT
from graph.errors import NotFoundError

#: Included after every API router, so no API path is ever shadowed by the page.
ORDER = 1000
#: The page and its files load without a key (a browser cannot send one when it navigates);
#: they hold no data — everything they show comes from the guarded API.
GUARDED = False

#: Explicit types: the system's mimetypes table may lack ``.js`` → JavaScript, and browsers refuse
#: to run an ES module served as ``text/plain``.
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}

#: Assets change with each release while the page is open for hours; ask browsers to revalidate.
NO_CACHE = {"Cache-Control": "no-cache"}

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    return FileResponse(WEB_ROOT / "index.html", media_type=MEDIA_TYPES[".html"], headers=NO_CACHE)


@router.get("/static/{asset:path}")
def static_asset(asset: str) -> FileResponse:
    if "\x00" in asset:  # the OS refuses NUL in a path (ValueError → 500): no such asset
        raise NotFoundError(f"no web asset {asset!r}")
    path = (WEB_ROOT / asset).resolve()
    # Resolve before checking, so ``..`` or a symlink cannot lead outside the web folder.
    if not path.is_relative_to(WEB_ROOT) or not path.is_file() or path.suffix not in MEDIA_TYPES:
        raise NotFoundError(f"no web asset {asset!r}")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=NO_CACHE)
