"""Idempotency keys for POSTs that create something (``Idempotency-Key``, IETF
draft-ietf-httpapi-idempotency-key-header).

A client that got no answer, or a 503, for a POST cannot tell whether it was committed: Neo4j may
have taken the commit as it went down (docs/RELIABILITY.md, *Neo4j outage under load*). With a
key it simply sends the same request again. The key is turned into the id of what the POST
creates, keyed with the poster's secret, and the request's digest is written with it in the
same transaction. So the record of "this key was used" is committed exactly when the write is
— never one without the other, on either store — and a retry:

- finds the node: same request → the stored result, nothing written (``Idempotent-Replayed: true``);
  a different request under the same key → 422, nothing written;
- finds nothing: the first attempt was not committed, and this one is the write.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Final

from fastapi import HTTPException
from pydantic import BaseModel

HEADER: Final = "Idempotency-Key"
REPLAYED_HEADER: Final = "Idempotent-Replayed"
#: The property that holds the digest of the request that created the node.
DIGEST_PROPERTY: Final = "requestDigest"
MAX_KEY_LENGTH: Final = 255


def parse_key(raw: str | None) -> str | None:
    """An ``Idempotency-Key`` header's key (1–255 visible ASCII characters), or None without one.

    A malformed key is refused (400) rather than ignored: a client that sends one relies on it.

    >>> parse_key('"3f2a-01"'), parse_key(None)
    ('3f2a-01', None)
    """
    if raw is None:
        return None
    key = raw.strip().strip('"')  # the draft's structured-field string form is quoted
    if not 0 < len(key) <= MAX_KEY_LENGTH or not all("\x21" <= c <= "\x7e" for c in key):
        raise HTTPException(
            400, f"{HEADER} must be 1–{MAX_KEY_LENGTH} visible ASCII characters (e.g. a UUID)"
        )
    return key


def keyed_digest(secret: str, key: str) -> str:
    """The id part for the node a keyed POST creates: the client's key, keyed with the poster's
    secret, so two API keys using the same string never meet and the id cannot be worked out.

    >>> keyed_digest("s", "k") == keyed_digest("s", "k") != keyed_digest("t", "k")
    True
    """
    return hmac.new(secret.encode(), f"idempotency\x1f{key}".encode(), hashlib.sha256).hexdigest()[:16]


def request_digest(body: BaseModel) -> str:
    """A digest of the request as validated (whitespace and key order do not matter).

    >>> class B(BaseModel):
    ...     a: int
    >>> request_digest(B(a=1)) == request_digest(B.model_validate_json('{ "a" : 1 }'))
    True
    """
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_replay(key: str, stored_digest: object, digest: str) -> None:
    """Refuse a key reused for a different request (422); return for the same request."""
    if stored_digest != digest:
        raise HTTPException(
            422,
            f"{HEADER} {key[:40]!r} was already used for a different request; "
            "use a new key for a new request",
        )
