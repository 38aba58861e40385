"""ASGI middleware of the API: a request-body limit applied before anything parses the body,
and the security headers every response carries.

Both are plain ASGI (no ``BaseHTTPMiddleware``), so they see the bytes as they arrive and cost
nothing on the way out.
"""

from __future__ import annotations

import json
import os
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import ConfigError

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


def max_body_bytes_from_env() -> int:
    raw = os.environ.get("INNOGRAPH_MAX_BODY_BYTES", "").strip()
    try:
        value = int(raw) if raw else DEFAULT_MAX_BODY_BYTES
    except ValueError:
        raise ConfigError(f"INNOGRAPH_MAX_BODY_BYTES must be a whole number of bytes, not {raw!r}") from None
    if value < 1:
        raise ConfigError(f"INNOGRAPH_MAX_BODY_BYTES must be at least 1, not {value}")
    return value


class _TooLarge(HTTPException):
    """An HTTPException, so that FastAPI's body parsing passes it on as it is (it turns other
    errors into 400) and the problem handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit} bytes")


def _problem(status: int, title: str, detail: str) -> tuple[dict[str, Any], bytes]:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    return start, body


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, before the route (or the key check)
    reads them: by ``Content-Length`` at once, and by counting for bodies sent without one.

    Before this a 56 MB anonymous POST was parsed in full and only then answered 401 (issue
    #16: memory 606 → 964 MB per request)."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"the request body is over the limit of {self.max_bytes} bytes"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes or declared < 0:
                    await self._refuse(send, detail if declared >= 0 else "bad Content-Length")
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(send, detail)

    @staticmethod
    async def _refuse(send: Send, detail: str) -> None:
        status = 413 if detail != "bad Content-Length" else 400
        start, body = _problem(status, "Content Too Large" if status == 413 else "Bad Request", detail)
        await send(start)
        await send({"type": "http.response.body", "body": body})


#: The page: its own scripts and styles only — no inline script, no eval, no framing, nothing
#: fetched from elsewhere. (Styles set from scripts through CSSOM are not inline styles.)
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Swagger UI (``/docs``) sets inline styles from its own code; scripts stay same-origin only.
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Add the Content-Security-Policy, nosniff, Referrer-Policy and framing headers to every
    response (API answers, the page, errors, and 413s from :class:`BodyLimit`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        csp = (DOCS_CSP if path == "/docs" or path.startswith("/docs/") else PAGE_CSP).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {b"content-security-policy", *(name for name, _ in SECURITY_HEADERS)}
                ]
                headers += [(b"content-security-policy", csp), *SECURITY_HEADERS]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
