"""API keys with roles, sent in the ``X-API-Key`` header.

Keys are random tokens shown once at creation; only their SHA-256 is stored (a fast hash is
right for high-entropy tokens — there is nothing to brute-force), in ``<data dir>/api-keys.json``.
Roles are ordered: reader < analyst < editor < admin. Analysts and above see firms' financial
figures; editors post demands and run ingests; admins manage keys. Whether reads need a key at
all is a deployment setting (``INNOGRAPH_PUBLIC_READ``, on by default for the demo).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader

from api.ratelimit import RateLimiter
from graph.errors import KeyFileError as KeyFileError

F = TypeVar("F", bound=Callable[..., Any])


class Role(IntEnum):
    READER = 1
    ANALYST = 2
    EDITOR = 3
    ADMIN = 4

    @classmethod
    def parse(cls, name: str) -> Role:
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown role {name!r}; roles: reader, analyst, editor, admin") from None


@dataclass(frozen=True)
class Principal:
    key_id: str | None  # None: an anonymous reader (public reads)
    role: Role

    @property
    def sees_financials(self) -> bool:
        return self.role >= Role.ANALYST


ANONYMOUS = Principal(None, Role.READER)


#: Longer header values are not tokens we issued; checked before hashing.
MAX_TOKEN_CHARS = 128


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: Fields of a key's record that are the server's own bookkeeping, never listed.
_PRIVATE_FIELDS = frozenset({"hash", "idempotency"})


@dataclass(frozen=True)
class KeyOnce:
    """What :meth:`KeyStore.create_once` did: the key and its token, and whether it was made
    now or by an earlier request with the same ``Idempotency-Key`` (``replayed``; then
    ``request`` is that request's digest, for the caller to compare)."""

    key_id: str
    token: str
    replayed: bool
    request: str


class KeyStore:
    """Hashed API keys in one JSON file, written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self._lock = threading.Lock()
        self._cache: tuple[tuple[int, int, int], dict[str, dict[str, Any]]] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        # Every request verifies a key, so the parsed file is cached until it changes on disk
        # (a key revoked by `innograph keys revoke` in another process takes effect at once).
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = self._cache
        if cached is not None and cached[0] == stamp:
            return dict(cached[1])
        try:
            keys = dict(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}
        except ValueError as e:
            raise KeyFileError(f"{self.path}: the API key file is not valid JSON ({e})") from e
        self._cache = (stamp, keys)
        return dict(keys)

    def _save(self, keys: dict[str, dict[str, Any]]) -> None:
        # mkstemp creates the file 0600 from the start (no window where another user could read
        # it under the default umask); written in full and synced before it replaces the old one.
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(json.dumps(keys, indent=1))
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the key file for a read-modify-write: a thread lock within this process and an
        ``fcntl`` lock on ``<file>.lock`` across processes (``innograph keys revoke`` racing a
        key created over HTTP must not lose either change)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing releases the flock

    def create(self, name: str, role: Role) -> tuple[str, str]:
        """A new key for ``name``; returns ``(key_id, token)`` — the token is shown only now."""
        key_id = secrets.token_hex(4)
        token = f"ig_{key_id}_{secrets.token_urlsafe(24)}"
        with self._locked():
            keys = self._load()
            keys[key_id] = {
                "name": name,
                "role": role.name.lower(),
                "hash": _hash(token),
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "revoked": None,
            }
            self._save(keys)
        return key_id, token

    def create_once(
        self, name: str, role: Role, *, by: str, by_token: str, idempotency_key: str, request: str
    ) -> KeyOnce:
        """:meth:`create` for a POST with an ``Idempotency-Key``: the first call makes the key,
        every later call by the same admin key with the same ``idempotency_key`` finds it and
        writes nothing (checked and written under the file's lock, so two racing first attempts
        make one key).

        Only the token's hash is stored, as for every key — yet a retry must be able to hand the
        token back, since the first answer may never have arrived. So the token is *derived*:
        an HMAC of the idempotency key and the new key's id under the creating admin's own
        token, which the server never stores. Only a caller who presents that admin token again
        gets it back; another admin using the same idempotency key string is in another scope
        (the lookup is keyed with the admin's hash) and makes a key of their own, and someone
        who reads the key file can derive nothing from it.
        """
        secret = self.secret(by)
        if secret is None:
            raise KeyFileError(f"API key {by} is not in the key file")
        scope = hmac.new(
            secret.encode(), f"idempotency\x1f{idempotency_key}".encode(), hashlib.sha256
        ).hexdigest()
        with self._locked():
            keys = self._load()
            for key_id, record in keys.items():
                seen = record.get("idempotency") or {}
                if seen.get("by") == by and seen.get("scope") == scope:
                    token = _derived_token(by_token, key_id, idempotency_key)
                    if not secrets.compare_digest(record["hash"], _hash(token)):
                        raise KeyFileError(
                            f"API key {key_id} was made with this Idempotency-Key, but its token cannot be "
                            "derived again (the key file was edited); revoke it and create another"
                        )
                    return KeyOnce(key_id, token, True, str(seen.get("request")))
            key_id = secrets.token_hex(4)
            while key_id in keys:
                key_id = secrets.token_hex(4)
            token = _derived_token(by_token, key_id, idempotency_key)
            keys[key_id] = {
                "name": name,
                "role": role.name.lower(),
                "hash": _hash(token),
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "revoked": None,
                "idempotency": {"by": by, "scope": scope, "request": request},
            }
            self._save(keys)
        return KeyOnce(key_id, token, False, request)

    def revoke(self, key_id: str) -> bool:
        with self._locked():
            keys = self._load()
            if key_id not in keys or keys[key_id]["revoked"]:
                return False
            keys[key_id]["revoked"] = datetime.now(UTC).isoformat(timespec="seconds")
            self._save(keys)
            return True

    def list(self) -> list[dict[str, Any]]:
        keys = sorted(self._load().items())
        return [{"id": k, **{f: v for f, v in rec.items() if f not in _PRIVATE_FIELDS}} for k, rec in keys]

    def get(self, key_id: str) -> dict[str, Any] | None:
        """One key's record without its hash, or None."""
        record = self._load().get(key_id)
        if record is None:
            return None
        return {"id": key_id, **{f: v for f, v in record.items() if f not in _PRIVATE_FIELDS}}

    def secret(self, key_id: str) -> str | None:
        """A value only the server knows for a key (the token's hash), to derive ids from."""
        record = self._load().get(key_id)
        return None if record is None else str(record["hash"])

    def verify(self, token: str) -> Principal | None:
        if len(token) > MAX_TOKEN_CHARS:
            return None
        parts = token.split("_", 2)
        if len(parts) < 3 or parts[0] != "ig":
            return None
        record = self._load().get(parts[1])
        if not record or record["revoked"]:
            return None
        if not secrets.compare_digest(record["hash"], _hash(token)):
            return None
        return Principal(parts[1], Role.parse(record["role"]))


def _derived_token(by_token: str, key_id: str, idempotency_key: str) -> str:
    """The token of a key made with an ``Idempotency-Key`` (:meth:`KeyStore.create_once`): as
    random as :meth:`KeyStore.create`'s to anyone without the creating admin's token.

    >>> t = _derived_token("ig_a_x", "0f0f0f0f", "k-1")
    >>> t == _derived_token("ig_a_x", "0f0f0f0f", "k-1") != _derived_token("ig_b_y", "0f0f0f0f", "k-1")
    True
    >>> t.startswith("ig_0f0f0f0f_") and len(t) == len("ig_0f0f0f0f_") + 32
    True
    """
    mac = hmac.new(by_token.encode(), f"api-key\x1f{key_id}\x1f{idempotency_key}".encode(), hashlib.sha256)
    return f"ig_{key_id}_{base64.urlsafe_b64encode(mac.digest()).decode()[:32]}"


_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="an InnoGraph API key")


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def open_without_key(endpoint: F) -> F:
    """Mark a route a private deployment still answers without a key (the liveness probe): it
    goes through the guard all the same (rate limit; a key sent is checked)."""
    endpoint.open_without_key = True  # type: ignore[attr-defined]
    return endpoint


def get_principal(request: Request, token: Annotated[str | None, Depends(_api_key_header)]) -> Principal:
    """The guard of every API route (``api.app`` adds it to every router but the page's): who is
    calling — the key's principal, or the anonymous reader when no key is sent.

    Each caller is rate-limited (:mod:`api.ratelimit`): a key by its id, anyone without a
    valid key by client address — so guessing keys is throttled like anonymous reading.
    FastAPI runs a dependency once per request, so routes that also ask for the principal
    reuse this answer and take one token, not two.
    """
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if not token:
        endpoint = request.scope.get("endpoint")
        if not request.app.state.public_read and not getattr(endpoint, "open_without_key", False):
            raise HTTPException(401, "this deployment needs an API key for reads: send X-API-Key")
        if limiter is not None:
            limiter.check_address(_client_address(request))
        return ANONYMOUS
    keys: KeyStore = request.app.state.keys
    try:
        principal = keys.verify(token)
    except KeyFileError as e:
        raise HTTPException(503, f"API keys cannot be checked: {e}", headers={"Retry-After": "5"}) from e
    if principal is None:
        if limiter is not None:
            limiter.check_address(_client_address(request))
        raise HTTPException(401, "the API key is unknown or revoked")
    if limiter is not None:
        limiter.check_key(str(principal.key_id))
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]
#: The dependency every API router is included with.
GUARD = Depends(get_principal)


def require_role(role: Role) -> Any:
    """A dependency that lets through only keys with ``role`` or above."""

    def check(principal: PrincipalDep) -> Principal:
        if principal.key_id is None:
            raise HTTPException(401, f"this needs an API key with the role {role.name.lower()} or above")
        if principal.role < role:
            raise HTTPException(
                403,
                f"the key's role {principal.role.name.lower()} may not do this; it needs {role.name.lower()}",
            )
        return principal

    check.required_role = role  # type: ignore[attr-defined]  # read by mark_optional_key below
    return Depends(check)


def _needs_key(dependant: Any) -> bool:
    return any(
        hasattr(dep.call, "required_role") or _needs_key(dep)
        for dep in getattr(dependant, "dependencies", [])
    )


def mark_optional_key(app: Any, schema: dict[str, Any]) -> None:
    """In the OpenAPI schema, mark the key optional (``security: [{key}, {}]``) on operations a
    caller may use without one — every read when ``public_read`` is on, unless it needs a role."""
    from fastapi import routing

    if not getattr(app.state, "public_read", False):
        return
    # fastapi's own walk over (possibly nested) included routers, as get_openapi does it.
    for route in routing.iter_route_contexts(app.routes):
        if not isinstance(route.original_route, routing.APIRoute) or _needs_key(route.dependant):
            continue
        for method in route.methods or ():
            operation = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
            if operation and operation.get("security") and {} not in operation["security"]:
                operation["security"].append({})
