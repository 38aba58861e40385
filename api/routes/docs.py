"""The interactive API documentation (``/docs``), with Swagger UI served from the files the
``fastapi-offline`` package ships instead of a CDN: it works offline, and the page pins each
asset with Subresource Integrity. Only its static files are used, not its app class. ReDoc (also
shipped there) is off: its bundle evaluates code at run time, which the strict CSP forbids.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from api.web_assets import WEB_ROOT
from graph.errors import NotFoundError

#: Included after the API routers, like the page; no data here (the schema is /openapi.json).
ORDER = 990
GUARDED = False

SWAGGER_ROOT = Path(fastapi_offline.__file__).resolve().parent / "static"
#: The only files served from the package.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
INIT_SCRIPT = WEB_ROOT / "js" / "swagger-init.js"

router = APIRouter(include_in_schema=False)


@functools.cache
def integrity(path: Path) -> str:
    """The Subresource Integrity value of a file (sha384, as browsers check it)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    def script(src: str, path: Path) -> str:
        return f'<script src="{escape(src)}" integrity="{integrity(path)}"></script>'

    css_integrity = integrity(SWAGGER_ROOT / "swagger-ui.css")
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>InnoGraph API — Swagger UI</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css" integrity="{css_integrity}">
<link rel="icon" type="image/png" href="/docs/assets/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
{script("/docs/assets/swagger-ui-bundle.js", SWAGGER_ROOT / "swagger-ui-bundle.js")}
{script("/static/js/swagger-init.js", INIT_SCRIPT)}
</body>
</html>
"""
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


@router.get("/docs/assets/{name}")
def swagger_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise NotFoundError(f"no documentation asset {name[:80]!r}")
    return FileResponse(SWAGGER_ROOT / name, media_type=ASSETS[name])
