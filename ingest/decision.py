"""What a resolver answers: one link decision, with the evidence for it.

Its own module so that both resolvers (organisations in ``ingest.resolve``, persons in
``ingest.persons``) use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from graph.model import NodeLabel

LinkStatus = Literal["exact", "linked", "review", "new"]


@dataclass(frozen=True)
class LinkDecision:
    mention: str
    entity_id: str | None
    label: NodeLabel | None
    score: float
    status: LinkStatus
    evidence: dict[str, Any] = field(default_factory=dict)
