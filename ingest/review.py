"""Review decisions: the pairs an ingest could not decide on, stored in the graph and acted on.

An ingest that finds a mention *maybe* the same as an existing entity (resolver status
``review``) creates the mention as its own entity and stores the pair as a ``ReviewDecision``
node (status ``pending``). A person accepts or rejects it (``innograph review``, the API, the
web page):

- **accept** merges the mention's entity (``left``) into the candidate (``right``): every
  relationship of ``left`` is re-attached to ``right`` with ``linkStatus = accepted`` and the
  decision in ``linkEvidence``, ``left``'s names become aliases of ``right``, its provenance is
  kept, and ``left`` is deleted. Later ingests link the same mention to ``right``.
- **reject** changes nothing in the graph but the decision; no later ingest merges the pair,
  even when a resolver would link it outright.

Decisions are nodes, so ``innograph export`` / ``import`` carry them like any other data, and
every store (embedded, Neo4j) answers the same through the one store interface.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final, Literal

from graph.changeset import ChangeSet
from graph.errors import NotFoundError, ValidationError
from graph.model import UNION_PROPERTIES, NodeLabel, make_id
from graph.records import Node
from graph.store import GraphStore
from ingest.reconcile import LinkRecord
from ingest.resolve import LinkDecision

Status = Literal["pending", "accepted", "rejected"]
STATUSES: Final[tuple[Status, ...]] = ("pending", "accepted", "rejected")

#: Properties of ``left`` never copied onto ``right`` in a merge (``right`` keeps its own).
_NOT_COPIED: Final = frozenset({"id", "name", "searchText"})
#: More relationships than this on one entity is not a review merge but a data problem.
_MAX_RELATIONSHIPS: Final = 100_000


def review_id(left_id: str, right_id: str) -> str:
    """The id of the pair's decision: the same whichever way round the pair is named."""
    key = "\x1f".join(sorted((left_id, right_id)))
    return make_id(NodeLabel.REVIEW_DECISION, "h" + hashlib.sha256(key.encode()).hexdigest()[:16])


@dataclass(frozen=True)
class Review:
    id: str
    status: str
    left_id: str
    left_name: str
    right_id: str
    right_name: str
    label: str | None
    score: float
    evidence: dict[str, Any]
    records: tuple[str, ...]
    decided_by: str | None
    decided_at: str | None
    note: str | None

    @staticmethod
    def of(node: Node) -> Review:
        p = node.props
        try:
            evidence = json.loads(p.get("evidence") or "{}")
        except json.JSONDecodeError:
            evidence = {"raw": p.get("evidence")}
        return Review(
            id=node.id,
            status=str(p.get("status", "pending")),
            left_id=str(p.get("leftId", "")),
            left_name=str(p.get("leftName", "")),
            right_id=str(p.get("rightId", "")),
            right_name=str(p.get("rightName", "")),
            label=p.get("targetLabel"),
            score=float(p.get("score") or 0.0),
            evidence=evidence if isinstance(evidence, dict) else {"raw": evidence},
            records=tuple(p.get("records") or ()),
            decided_by=p.get("decidedBy"),
            decided_at=p.get("decidedAt"),
            note=p.get("note"),
        )

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "left": {"id": self.left_id, "name": self.left_name},
            "right": {"id": self.right_id, "name": self.right_name},
            "label": self.label,
            "score": self.score,
            "evidence": self.evidence,
            "records": list(self.records),
            "decidedBy": self.decided_by,
            "decidedAt": self.decided_at,
            "note": self.note,
        }


def list_reviews(store: GraphStore, status: str | None = None) -> list[Review]:
    """Every stored pair (optionally of one status), most likely first, then by id."""
    if status is not None and status not in STATUSES:
        raise ValidationError(f"status must be one of {', '.join(STATUSES)}, not {status!r}", field="status")
    found = [Review.of(n) for n in store.nodes(NodeLabel.REVIEW_DECISION)]
    found = [r for r in found if status is None or r.status == status]
    return sorted(found, key=lambda r: (-r.score, r.id))


def get_review(store: GraphStore, decision_id: str) -> Review:
    node = store.get_node(decision_id)
    if node is None or node.label is not NodeLabel.REVIEW_DECISION:
        raise NotFoundError(f"no review decision {decision_id!r} (see `innograph review list`)")
    return Review.of(node)


def decide(store: GraphStore, decision_id: str, *, accept: bool, by: str, note: str | None = None) -> Review:
    """Accept (merge) or reject the pair and store who decided; returns the updated decision.

    Accepting twice is harmless (the second finds ``left`` gone and only restates the
    decision). A decision can be changed from rejected to accepted; an accepted merge cannot be
    undone here (restore a backup), so accepted → rejected is refused.
    """
    review = get_review(store, decision_id)
    if review.status == "accepted" and not accept:
        raise ValidationError(
            f"{decision_id} was accepted on {review.decided_at} and the entities merged; "
            "it cannot be rejected now (restore a backup to undo a merge)",
            field="decision",
        )
    status: Status = "accepted" if accept else "rejected"
    props: dict[str, Any] = {
        "id": review.id,
        "status": status,
        "decidedBy": by,
        "decidedAt": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if note:
        props["note"] = note
    if accept:
        _merge(store, review, props)
    else:
        changes = ChangeSet()
        changes.add_node(NodeLabel.REVIEW_DECISION, props)
        store.apply(changes)
    return get_review(store, decision_id)


def _merge(store: GraphStore, review: Review, decision_props: dict[str, Any]) -> None:
    """Re-attach ``left``'s relationships to ``right`` (one transaction), then delete ``left``.

    The apply is additive and idempotent, so if the delete fails the decision can simply be
    accepted again; until then ``left`` and ``right`` both carry the relationships.
    """
    right = store.get_node(review.right_id)
    if right is None:
        raise NotFoundError(f"{review.id}: the candidate {review.right_id} is no longer in the graph")
    left = store.get_node(review.left_id)
    changes = ChangeSet()
    changes.add_node(NodeLabel.REVIEW_DECISION, decision_props)
    if left is not None and left.id != right.id:
        evidence = json.dumps(
            {
                "rule": "review_accepted",
                "review": review.id,
                "mergedFrom": left.id,
                "decidedBy": decision_props["decidedBy"],
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        merged: dict[str, Any] = {"id": right.id}
        for key, value in left.props.items():
            if key in UNION_PROPERTIES:
                merged[key] = list(value)
            elif key not in _NOT_COPIED and key not in right.props:
                merged[key] = value
        aliases = [left.name, *(left.props.get("aliases") or [])]
        merged["aliases"] = [a for a in dict.fromkeys(aliases) if a and a != right.name]
        changes.add_node(right.label, merged)
        for neighbor in store.neighbors(left.id, limit=_MAX_RELATIONSHIPS):
            other = neighbor.node
            if other.id == right.id:
                continue  # a relationship between the two would become a loop
            props = {**neighbor.rel.props, "linkStatus": "accepted", "linkEvidence": evidence}
            props.setdefault("linkScore", review.score)
            ends = ((right.label, right.id), (other.label, other.id))
            start, end = ends if neighbor.direction == "out" else ends[::-1]
            changes.add_relationship(neighbor.rel.type, start, end, props)
    store.apply(changes)
    if left is not None and left.id != right.id:
        store.delete_nodes([left.id])


def pending_changes(records: Iterable[LinkRecord], known: dict[str, Review], run_id: str) -> ChangeSet:
    """``ReviewDecision`` nodes for this run's review pairs that the graph does not hold yet.

    A pair already stored keeps its status (a decided pair is never reopened by an ingest);
    only its provenance grows.
    """
    changes = ChangeSet()
    for record in records:
        left = record.evidence.get("createdAs")
        right = record.entity_id
        if not left or not right or left == right:
            continue
        rid = review_id(str(left), right)
        provenance = {
            "sources": ["review"],
            "ingestRuns": [run_id],
            "records": [f"{record.file}#{record.row}"],
        }
        if rid in known:
            changes.add_node(NodeLabel.REVIEW_DECISION, {"id": rid, **provenance})
            continue
        right_name = str(record.evidence.get("candidateName") or right)
        changes.add_node(
            NodeLabel.REVIEW_DECISION,
            {
                "id": rid,
                "name": f"{record.mention} ↔ {right_name}",
                "status": "pending",
                "leftId": str(left),
                "leftName": record.mention,
                "rightId": right,
                "rightName": right_name,
                "targetLabel": record.label or "",
                "score": float(record.score),
                "evidence": json.dumps(record.evidence, ensure_ascii=False, sort_keys=True, default=str),
                **provenance,
            },
        )
    return changes


class Decisions:
    """The stored decisions, read once per ingest, applied to each resolver decision."""

    def __init__(self, reviews: Iterable[Review]) -> None:
        self.by_id: dict[str, Review] = {}
        self._accepted: dict[str, Review] = {}  # left id -> decision
        self._rejected: dict[frozenset[str], Review] = {}
        for review in reviews:
            self.by_id[review.id] = review
            if review.status == "accepted":
                self._accepted[review.left_id] = review
            elif review.status == "rejected":
                self._rejected[frozenset((review.left_id, review.right_id))] = review

    def __bool__(self) -> bool:
        """Whether any decision could change a link (pending pairs change none)."""
        return bool(self._accepted or self._rejected)

    @classmethod
    def from_store(cls, store: GraphStore) -> Decisions:
        return cls(Review.of(n) for n in store.nodes(NodeLabel.REVIEW_DECISION))

    def apply(self, decision: LinkDecision, own_id: str) -> LinkDecision:
        """``decision`` for a mention that would be created as ``own_id``, after the stored
        decisions: an accepted pair links to its candidate, a rejected pair never links."""
        accepted = self._accepted.get(own_id)
        if accepted is not None:
            return replace(
                decision,
                entity_id=accepted.right_id,
                label=NodeLabel(accepted.label) if accepted.label else decision.label,
                status="linked",
                evidence={"rule": "review_accepted", "review": accepted.id, "decidedBy": accepted.decided_by},
            )
        candidate = decision.entity_id
        if candidate is not None:
            redirected = self._accepted.get(candidate)  # linked to an entity merged away
            if redirected is not None and redirected.right_id != own_id:
                candidate = redirected.right_id
                decision = replace(decision, entity_id=candidate)
            rejected = self._rejected.get(frozenset((own_id, candidate)))
            if rejected is not None and decision.status in ("exact", "linked", "review"):
                return replace(
                    decision,
                    entity_id=None,
                    status="new",
                    evidence={**decision.evidence, "rule": "review_rejected", "review": rejected.id},
                )
        return decision
