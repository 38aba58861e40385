"""Review items a person can act on (issue #11, finding 7): same-name individual applicants give
one item per name, a group accept merges them all, and a shared co-applicant decides outright —
on both stores. The names are individual applicants of the real PatSnap export."""

from __future__ import annotations

from pathlib import Path

from graph.model import NodeLabel, RelType
from graph.store import GraphStore
from ingest.pipeline import ingest_specs
from ingest.review import list_reviews
from ingest.review_groups import GROUP_PREFIX, decide_group, pending_groups
from tests.ingest.conftest import PATENT_COLUMNS, SpecWriter

HEADER = "公开号,发明名称,申请日,申请人,发明人,IPC分类号\n"
# КОРОЛЁВ on three patents in one field, alone: nothing but the name and the field (65, review).
ALONE = HEADER + "".join(
    f"RU 26000{i} C1,飞行器{i},2020-01-0{i},КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ,,B64C 27/0{i}\n" for i in (1, 2, 3)
)
# 杨福鼎 with the same co-applicant firm twice: a shared co-applicant is the same person.
WITH_FIRM = HEADER + "".join(
    f"CN 1090000{i} A,无人机{i},2021-01-0{i},杨福鼎;天津华信科技有限公司,,B64C 39/0{i}\n" for i in (1, 2)
)


def _persons(store: GraphStore, name: str) -> list[str]:
    return [n.id for n in store.nodes(NodeLabel.PERSON) if n.name == name]


def test_same_name_pairs_are_one_item_and_a_group_accept_merges_them_all(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    spec = write_source(ALONE, "patents.csv", PATENT_COLUMNS, source_name="patsnap")
    ingest_specs(store, [spec], data_dir=tmp_path)
    pairs = list_reviews(store, "pending")
    assert len(pairs) == 2 and {r.label for r in pairs} == {"Person"}
    (group,) = pending_groups(store)
    assert group.id.startswith(GROUP_PREFIX) and len(group.reviews) == 2
    assert len(group.entity_ids) == 3 == len(_persons(store, "КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ"))

    decided = decide_group(store, group.id, accept=True, by="test:editor")

    assert {r.status for r in decided.reviews} == {"accepted"}
    (person,) = _persons(store, "КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ")
    patents = {r.end for r in store.relationships(RelType.APPLIED_FOR) if r.start == person}
    assert len(patents) == 3
    assert not pending_groups(store)
    # A later ingest of the same records links every mention to the one person.
    again = write_source(ALONE, "patents.csv", PATENT_COLUMNS, source_name="patsnap")
    report = ingest_specs(store, [again], data_dir=tmp_path)
    assert not report.review
    assert _persons(store, "КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ") == [person]


def test_a_group_reject_keeps_every_pair_apart(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    spec = write_source(ALONE, "patents.csv", PATENT_COLUMNS, source_name="patsnap")
    ingest_specs(store, [spec], data_dir=tmp_path)
    (group,) = pending_groups(store)
    decided = decide_group(store, group.id, accept=False, by="test:editor")
    assert {r.status for r in decided.reviews} == {"rejected"}
    assert len(_persons(store, "КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ")) == 3


def test_a_shared_co_applicant_links_a_same_name_applicant_without_review(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    """The person applicants' co-applicant firms were not passed to the person resolver: 杨福鼎
    with the same firm on two patents was a review pair."""
    spec = write_source(WITH_FIRM, "patents.csv", PATENT_COLUMNS, source_name="patsnap")
    report = ingest_specs(store, [spec], data_dir=tmp_path)
    assert not report.review
    (person,) = _persons(store, "杨福鼎")
    assert len([r for r in store.relationships(RelType.APPLIED_FOR) if r.start == person]) == 2


def test_review_groups_api_lists_one_item_per_name_and_an_editor_accepts_it(
    store: GraphStore, write_source: SpecWriter, tmp_path: Path
) -> None:
    from api.security import Role
    from tests.security.harness import api_over

    spec = write_source(ALONE, "patents.csv", PATENT_COLUMNS, source_name="patsnap")
    ingest_specs(store, [spec], data_dir=tmp_path)
    with api_over(store, tmp_path) as api:
        page = api.client.get("/api/v1/review-groups").json()
        assert (page["total"], page["pairs"]) == (1, 2)
        (item,) = page["items"]
        url = f"/api/v1/review-groups/{item['id']}"
        assert api.client.post(url, json={"decision": "accept"}).status_code == 401
        assert (
            api.client.post(url, json={"decision": "accept"}, headers=api.headers(Role.READER)).status_code
            == 403
        )
        done = api.client.post(url, json={"decision": "accept"}, headers=api.headers(Role.EDITOR))
        assert done.status_code == 200, done.text
        assert {r["status"] for r in done.json()["reviews"]} == {"accepted"}
        assert len(_persons(store, "КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ")) == 1
        missing = api.client.post(url, json={"decision": "accept"}, headers=api.headers(Role.EDITOR))
        assert missing.status_code == 404
