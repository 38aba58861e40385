"""The ``searchText`` of a node, computed the same way by both stores.

Neo4j computes it in ``cypher/merge_nodes.cypher``; the embedded store calls
:func:`search_text`. Keep the two in step: the contract suite compares their search results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Fields joined into ``searchText``, in this order, then every alias.
SEARCH_FIELDS: tuple[str, ...] = ("name", "title", "nameEn", "pinyin", "code", "number")


def normalize_query(text: str) -> str:
    """Lower-case and drop spaces, as ``searchText`` is, so ``Univ Tianjin`` finds ``UNIV TIANJIN``."""
    return text.lower().replace(" ", "")


def search_text(props: Mapping[str, Any]) -> str:
    parts = [str(props.get(key) or "") for key in SEARCH_FIELDS]
    joined = "|".join(parts) + "|" + "".join(f"{alias}|" for alias in props.get("aliases") or [])
    return normalize_query(joined)
