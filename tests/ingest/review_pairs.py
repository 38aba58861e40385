"""One pending review pair as an ingest leaves it: two enterprises, the mention's patent, and the
``ReviewDecision`` between them (for the review API and page tests)."""

from __future__ import annotations

from typing import Any

from graph.changeset import ChangeSet
from graph.model import NodeLabel, RelType
from ingest.review import review_id


def pending_pair(
    left: tuple[str, str], right: tuple[str, str], patent: tuple[str, str], score: float, **extra: Any
) -> tuple[str, ChangeSet]:
    """``left``/``right`` are (id, name) of the mention and the candidate, ``patent`` (number,
    title) the mention's patent. Returns the pair's review id and the changes."""
    (left_id, left_name), (right_id, right_name), (number, title) = left, right, patent
    rid = review_id(left_id, right_id)
    changes = ChangeSet()
    changes.add_node(NodeLabel.ENTERPRISE, {"id": left_id, "name": left_name})
    changes.add_node(NodeLabel.ENTERPRISE, {"id": right_id, "name": right_name})
    changes.add_node(NodeLabel.PATENT, {"id": f"patent:{number}", "number": number, "title": title})
    changes.add_relationship(
        RelType.APPLIED_FOR,
        (NodeLabel.ENTERPRISE, left_id),
        (NodeLabel.PATENT, f"patent:{number}"),
        {"order": 1},
    )
    changes.add_node(
        NodeLabel.REVIEW_DECISION,
        {
            "id": rid,
            "status": "pending",
            "leftId": left_id,
            "leftName": left_name,
            "rightId": right_id,
            "rightName": right_name,
            "targetLabel": "Enterprise",
            "score": score,
            **extra,
        },
    )
    return rid, changes
