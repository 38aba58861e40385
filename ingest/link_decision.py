"""What a resolver decided about one mention: the type both resolvers return.

Its own module so that ``ingest.resolve`` (organisations, which calls the person resolver) and
``ingest.persons`` (people) both import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from graph.model import NodeLabel

#: exact / linked: the mention is that entity; review: a person decides; new: no candidate.
LinkStatus = Literal["exact", "linked", "review", "new"]


@dataclass(frozen=True)
class LinkDecision:
    mention: str
    entity_id: str | None
    label: NodeLabel | None
    score: float
    status: LinkStatus
    evidence: dict[str, Any] = field(default_factory=dict)
