"""Review items a person can act on: same-name persons grouped, one item per name.

A name that recurs on N records with nothing but the name and a technology field to go on
(``КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ`` on five patents) gives N−1 pending pairs, and every pair asks
the same question: *are these one person?* A reviewer answers it once per name. So pending
``Person`` pairs are grouped by the person's name key (:func:`ingest.persons.person_name_key`:
``CHEN LIHUA`` = ``Lihua Chen``); each organisation pair stays an item of its own (two firms'
names are a question each).

Accepting a group merges every person of the group into one (pair by pair, each pair's ends
followed to where earlier merges put them, so a chain B→A, C→B ends as one node); rejecting it
rejects every pair, so no later ingest merges any of them. Each pair keeps its own stored
decision, so export/import and later ingests treat them exactly as pairs decided one by one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from graph.changeset import ChangeSet
from graph.errors import NotFoundError
from graph.model import NodeLabel
from graph.store import GraphStore
from ingest.persons import person_name_key
from ingest.review import Review, _merge, decide, get_review, list_reviews

GROUP_PREFIX = "reviewgroup:"


@dataclass(frozen=True)
class ReviewGroup:
    """One item of the review list: a same-name person group, or one organisation pair."""

    id: str
    label: str | None
    name: str
    reviews: tuple[Review, ...]

    @property
    def score(self) -> float:
        return max(r.score for r in self.reviews)

    @property
    def entity_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for r in self.reviews for i in (r.right_id, r.left_id)))

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "name": self.name,
            "score": self.score,
            "pairs": len(self.reviews),
            "entities": list(self.entity_ids),
            "reviews": [r.public() for r in self.reviews],
        }


def _key(review: Review) -> str:
    if review.label == NodeLabel.PERSON.value:
        return "person\x1f" + person_name_key(review.left_name)
    return "pair\x1f" + review.id


def _group_id(key: str, reviews: list[Review]) -> str:
    if key.startswith("pair\x1f"):
        return reviews[0].id  # an organisation pair is acted on as itself
    return GROUP_PREFIX + "h" + hashlib.sha256(key.encode()).hexdigest()[:16]


def group_reviews(reviews: list[Review]) -> list[ReviewGroup]:
    """Group reviews as a person acts on them; most likely first, then by id."""
    by_key: dict[str, list[Review]] = {}
    for review in reviews:
        by_key.setdefault(_key(review), []).append(review)
    groups = [
        ReviewGroup(_group_id(key, members), members[0].label, members[0].left_name, tuple(members))
        for key, members in by_key.items()
    ]
    return sorted(groups, key=lambda g: (-g.score, g.id))


def pending_groups(store: GraphStore) -> list[ReviewGroup]:
    return group_reviews(list_reviews(store, "pending"))


def get_group(store: GraphStore, group_id: str) -> ReviewGroup:
    """A pending person group by its id, or any single pair by its review id."""
    if not group_id.startswith(GROUP_PREFIX):
        return ReviewGroup(group_id, None, "", (get_review(store, group_id),))
    for group in pending_groups(store):
        if group.id == group_id:
            return group
    raise NotFoundError(f"no pending review group {group_id!r} (see `innograph review list --grouped`)")


def decide_group(
    store: GraphStore, group_id: str, *, accept: bool, by: str, note: str | None = None
) -> ReviewGroup:
    """Accept (merge all into one) or reject every pair of the group; returns the decided group."""
    group = get_group(store, group_id)
    if not accept or len(group.reviews) == 1:
        decided = [decide(store, r.id, accept=accept, by=by, note=note) for r in group.reviews]
        return replace(group, reviews=tuple(decided))
    merged_into: dict[str, str] = {}

    def find(entity_id: str) -> str:
        while entity_id in merged_into:
            entity_id = merged_into[entity_id]
        return entity_id

    at = datetime.now(UTC).isoformat(timespec="seconds")
    for review in group.reviews:
        left, right = find(review.left_id), find(review.right_id)
        props: dict[str, Any] = {"id": review.id, "status": "accepted", "decidedBy": by, "decidedAt": at}
        if note:
            props["note"] = note
        if left == right:  # already one person through earlier pairs of the group
            changes = ChangeSet()
            changes.add_node(NodeLabel.REVIEW_DECISION, props)
            store.apply(changes)
            continue
        _merge(store, replace(review, left_id=left, right_id=right), props)
        merged_into[left] = right
    # Every pair now points at the one node the group became, so a later ingest that meets a
    # mention of the pair links it there (not to a node merged away).
    final = ChangeSet()
    for review in group.reviews:
        final.add_node(NodeLabel.REVIEW_DECISION, {"id": review.id, "rightId": find(review.right_id)})
    store.apply(final)
    return replace(group, reviews=tuple(get_review(store, r.id) for r in group.reviews))
