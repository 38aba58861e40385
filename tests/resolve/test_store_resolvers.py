"""Resolvers built from a store: the same decisions on the embedded store and on Neo4j."""

from __future__ import annotations

from graph.store import GraphStore
from ingest.resolve import OrgResolver, PersonResolver
from tests.resolve.graph_fixture import CREDIT_CODE, resolver_graph


def test_org_resolver_from_store_links_names_aliases_codes_and_english(store: GraphStore) -> None:
    store.apply(resolver_graph())
    resolver = OrgResolver.from_store(store)
    assert len(resolver) == 6  # every organisation label, no patents or persons
    got = {
        mention: (d.entity_id, d.status)
        for mention in ("天大", "UNIV TIANJIN", "UNIV BEI HANG", "东丽区生产力促进中心", "华信科技东丽分公司")
        for d in [resolver.link(mention)]
    }
    assert got == {
        "天大": ("uni:tju", "exact"),
        "UNIV TIANJIN": ("uni:tju", "linked"),
        "UNIV BEI HANG": ("uni:buaa", "linked"),
        "东丽区生产力促进中心": ("ppc:dl", "exact"),
        "华信科技东丽分公司": ("ent:hxdl", "linked"),  # its own place 天津 left out
    }
    assert resolver.link("别的名字", credit_code=CREDIT_CODE).entity_id == "ent:hx"
    assert resolver.link("天津华信电子科技有限公司").status == "new"


def test_person_resolver_from_store_uses_affiliations_and_coinventors(store: GraphStore) -> None:
    store.apply(resolver_graph())
    people = PersonResolver.from_store(store)
    assert len(people) == 3
    assert people.link("张伟").status == "new"
    by_affiliation = people.link("张伟", affiliation_id="ent:hx")
    assert (by_affiliation.entity_id, by_affiliation.status) == ("person:zw2", "linked")
    by_coinventor = people.link("张伟", coauthors=["李强"])
    assert (by_coinventor.entity_id, by_coinventor.status) == ("person:zw", "linked")
    by_field = people.link("张伟", ipc_subclasses=["F21K"])  # the patent's IPC is the person's field
    assert (by_field.entity_id, by_field.status) == ("person:zw", "review")


def test_empty_store_gives_empty_resolvers(store: GraphStore) -> None:
    assert len(OrgResolver.from_store(store)) == 0
    assert PersonResolver.from_store(store).link("张伟").status == "new"
