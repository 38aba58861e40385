"""An entity's neighbourhood a page at a time, with the counts per group.

A firm at province scale may hold thousands of patents; the page cannot draw or list them all.
``GET /api/v1/entities/{id}/neighborhood`` answers the counts per (relationship type, direction,
neighbour label) — what the page draws as expandable group nodes — and one page of neighbours
with an opaque cursor for the next. The cursor is the (type, direction, id) key of the page's
last row, so a page costs the same wherever it starts, on either store.
"""

from __future__ import annotations

import base64
import binascii
import json

from graph.errors import ValidationError
from graph.model import RelType
from graph.records import Neighbor, NeighborKey

_DIRECTIONS = frozenset({"out", "in"})


def encode_cursor(last: Neighbor) -> str:
    """The cursor of the page that starts after ``last``."""
    key = [last.rel.type.value, last.direction, last.node.id]
    raw = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> NeighborKey:
    """The key a cursor holds; anything that is not a cursor this API issued is refused."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, ValueError):
        key = None
    if (
        not isinstance(key, list)
        or len(key) != 3
        or not all(isinstance(part, str) for part in key)
        or key[0] not in {t.value for t in RelType}
        or key[1] not in _DIRECTIONS
    ):
        raise ValidationError(
            "cursor is not one this API issued: pass next_cursor from the previous page unchanged",
            field="cursor",
        )
    return (key[0], key[1], key[2])
