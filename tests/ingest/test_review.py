"""Review decisions (issue #11, finding 7): stored in the graph, acted on, applied by every later
ingest, carried by export/import — on both stores.

The pair is the homophone case of ``test_linking_regressions``: 天津华鑫科技有限公司 (a patent
applicant) vs the registered 天津华信科技有限公司.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.backup import export_graph, import_graph
from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.errors import NotFoundError, ValidationError
from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from ingest.builder import org_id
from ingest.pipeline import ingest_specs
from ingest.review import decide, list_reviews, review_id
from tests.ingest.conftest import ENTERPRISE_COLUMNS, PATENT_COLUMNS, SpecWriter, credit_code

CODE_HX = credit_code("91120110MA05HXKJ1")
HUAXIN = f"ent:{CODE_HX}"
REGISTRY = f"企业名称,统一社会信用代码\n天津华信科技有限公司,{CODE_HX}\n"
PATENTS = (
    "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
    "CN 3000001 A,一种无人机,2020-01-02,天津华鑫科技有限公司,,B64C 39/02\n"
    "CN 3000002 A,一种电机,2020-02-03,华鑫科技,,H02K 1/00\n"
)
HEADER = "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
LATER = HEADER + "CN 3000009 A,一种旋翼,2021-05-06,天津华鑫科技有限公司,,B64C 27/00\n"


def _first_ingest(store: GraphStore, write_source: SpecWriter, tmp_path: Path) -> str:
    registry = write_source(REGISTRY, "registry.csv", ENTERPRISE_COLUMNS, source_name="registry")
    patents = write_source(PATENTS, "patents.csv", PATENT_COLUMNS, source_name="cnipa")
    ingest_specs(store, [registry, patents], data_dir=tmp_path)
    (pending,) = list_reviews(store)
    return pending.id


def test_ingest_stores_the_pair_as_a_pending_decision(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    rid = _first_ingest(store, write_source, tmp_path)
    (review,) = list_reviews(store, "pending")
    created = org_id(NodeLabel.ENTERPRISE, "天津华鑫科技有限公司")
    assert rid == review_id(created, HUAXIN) == review_id(HUAXIN, created)
    assert (review.left_id, review.left_name, review.right_id, review.right_name) == (
        created,
        "天津华鑫科技有限公司",
        HUAXIN,
        "天津华信科技有限公司",
    )
    assert review.records == ("patents.csv#2",)
    # A second identical ingest neither duplicates nor reopens it.
    again = write_source(PATENTS, "patents.csv", PATENT_COLUMNS, source_name="cnipa")
    ingest_specs(store, [again], data_dir=tmp_path)
    assert [r.id for r in list_reviews(store, None)] == [rid]


def test_accept_merges_with_provenance_and_later_ingests_link(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    rid = _first_ingest(store, write_source, tmp_path)
    created = org_id(NodeLabel.ENTERPRISE, "天津华鑫科技有限公司")

    review = decide(store, rid, accept=True, by="test:editor", note="same firm, typo")

    assert (review.status, review.decided_by, review.note) == ("accepted", "test:editor", "same firm, typo")
    assert store.get_node(created) is None  # merged away
    firm = store.get_node(HUAXIN)
    assert firm is not None and "天津华鑫科技有限公司" in firm.props["aliases"]
    assert "patents.csv#2" in firm.props["records"]
    applied = {r.end: r for r in store.relationships(RelType.APPLIED_FOR) if r.start == HUAXIN}
    assert set(applied) == {"patent:CN3000001A", "patent:CN3000002A"}
    assert applied["patent:CN3000001A"].props["linkStatus"] == "accepted"
    assert rid in applied["patent:CN3000001A"].props["linkEvidence"]
    assert len(store.nodes(NodeLabel.ENTERPRISE)) == 1

    later = write_source(LATER, "later.csv", PATENT_COLUMNS, source_name="later")
    report = ingest_specs(store, [later], data_dir=tmp_path)
    (link,) = [r for r in report.links if r.column == "申请人"]
    assert link.entity_id == HUAXIN and link.status in ("exact", "linked")
    assert not report.review
    assert len(store.nodes(NodeLabel.ENTERPRISE)) == 1
    # Accepting again is harmless; un-accepting a merge is refused.
    assert decide(store, rid, accept=True, by="test:editor").status == "accepted"
    with pytest.raises(ValidationError, match="cannot be rejected"):
        decide(store, rid, accept=False, by="test:editor")


def test_rejected_pair_never_merges_even_when_the_resolver_would_link(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    """天津华信科技 (no 有限公司) links to the registered firm outright; once a person rejected that
    pair, every later ingest keeps the mention apart."""
    registry = write_source(REGISTRY, "registry.csv", ENTERPRISE_COLUMNS, source_name="registry")
    ingest_specs(store, [registry], data_dir=tmp_path)
    mention = "天津华信科技"
    own = org_id(NodeLabel.ENTERPRISE, mention)
    rid = review_id(own, HUAXIN)
    seed = ChangeSet()
    seed.add_node(
        NodeLabel.REVIEW_DECISION,
        {
            "id": rid,
            "status": "pending",
            "leftId": own,
            "leftName": mention,
            "rightId": HUAXIN,
            "rightName": "天津华信科技有限公司",
            "targetLabel": "Enterprise",
            "score": 90.0,
        },
    )
    store.apply(seed)
    decide(store, rid, accept=False, by="test:editor")

    data = HEADER + f"CN 4000001 A,一种电路,2020-03-04,{mention},,H05K 1/00\n"
    patents = write_source(data, "patents.csv", PATENT_COLUMNS, source_name="cnipa")
    report = ingest_specs(store, [patents], data_dir=tmp_path)

    (link,) = [r for r in report.links if r.column == "申请人"]
    assert (link.status, link.evidence.get("rule"), link.evidence.get("review")) == (
        "new",
        "review_rejected",
        rid,
    )
    applied = {(r.start, r.end) for r in store.relationships(RelType.APPLIED_FOR)}
    assert applied == {(own, "patent:CN4000001A")}
    assert {n.id for n in store.nodes(NodeLabel.ENTERPRISE)} == {HUAXIN, own}
    assert [r.status for r in list_reviews(store, None)] == ["rejected"]


def test_decisions_survive_export_and_import(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    rid = _first_ingest(store, write_source, tmp_path)
    decide(store, rid, accept=False, by="test:editor", note="different firms")
    export_graph(store, tmp_path / "backup")

    restored = EmbeddedStore(tmp_path / "restored.innograph")
    try:
        import_graph(restored, tmp_path / "backup")
        (review,) = list_reviews(restored, None)
        assert (review.id, review.status, review.decided_by, review.note) == (
            rid,
            "rejected",
            "test:editor",
            "different firms",
        )
    finally:
        restored.close()


def test_unknown_review_and_status_are_clear_errors(store: GraphStore) -> None:
    with pytest.raises(NotFoundError, match="no review decision 'review:nope'"):
        decide(store, "review:nope", accept=True, by="x")
    with pytest.raises(ValidationError, match="status must be one of"):
        list_reviews(store, "maybe")
