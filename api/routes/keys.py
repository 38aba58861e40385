"""Key management for admins: ``/api/v1/keys`` (the same operations as ``innograph keys``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response

from api import idempotency
from api.schemas import KeyCreate, KeyCreated, KeyPublic
from api.security import KeyStore, Principal, Role, require_role
from graph.errors import KeyFileError, NotFoundError

router = APIRouter(prefix="/api/v1/keys", tags=["keys"])
ORDER = 900


def _keys(request: Request) -> KeyStore:
    keys: KeyStore = request.app.state.keys
    return keys


AdminDep = Annotated[Principal, require_role(Role.ADMIN)]
KeyId = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[0-9a-f]+$")]


@router.get("", summary="Every API key (admin)")
def list_keys(request: Request, _: AdminDep) -> list[KeyPublic]:
    return [KeyPublic(**k) for k in _keys(request).list()]


@router.post(
    "",
    status_code=201,
    summary="Create an API key; the token is shown once (admin)",
    responses={
        400: {"description": "a malformed Idempotency-Key"},
        422: {"description": "invalid body, or an Idempotency-Key already used for another request"},
    },
)
def create_key(
    request: Request,
    response: Response,
    admin: AdminDep,
    body: KeyCreate,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=idempotency.HEADER,
            description="any unique string (a UUID): a retry by the same admin key with the same key and "
            "body returns the first answer, token included, and writes nothing; the same key with another "
            "body is a 422",
        ),
    ] = None,
) -> KeyCreated:
    keys = _keys(request)
    key = idempotency.parse_key(idempotency_key)
    name, role = body.name.strip() or body.name, Role.parse(body.role)
    if key is None:
        key_id, token = keys.create(name, role)
    else:
        # The retry gets the token back only by presenting the creating admin's own token again:
        # it is derived from it, never stored (api.security.KeyStore.create_once).
        admin_token = request.headers.get("X-API-Key", "")
        made = keys.create_once(
            name,
            role,
            by=str(admin.key_id),
            by_token=admin_token,
            idempotency_key=key,
            request=idempotency.request_digest(body),
        )
        if made.replayed:
            idempotency.check_replay(key, made.request, idempotency.request_digest(body))
            response.headers[idempotency.REPLAYED_HEADER] = "true"
        key_id, token = made.key_id, made.token
    record = keys.get(key_id)
    if record is None:  # written under the key file's lock; gone only if the file was replaced
        raise KeyFileError(f"API key {key_id} was written but cannot be read back from the key file")
    return KeyCreated(**record, token=token)


@router.delete("/{key_id}", summary="Revoke an API key (admin)")
def revoke_key(request: Request, _: AdminDep, key_id: KeyId) -> KeyPublic:
    keys = _keys(request)
    if not keys.revoke(key_id):
        raise NotFoundError(f"no active API key with id {key_id!r}")
    record = keys.get(key_id)
    if record is None:
        raise NotFoundError(f"API key {key_id!r} was revoked but is no longer in the key file")
    return KeyPublic(**record)
