"""Person disambiguation: never by name alone (pure, no store)."""

from __future__ import annotations

import pytest

from ingest.persons import PersonResolver, ipc_subclass, person_latin_key, person_name_key


@pytest.fixture
def people() -> PersonResolver:
    r = PersonResolver()
    r.add("person:a", "张伟", affiliation_id="uni:tju", coauthors=["李强", "王芳"], ipc_subclasses=["H01L"])
    r.add("person:b", "张伟", affiliation_id="ent:hx", coauthors=["赵敏"], ipc_subclasses=["B64C"])
    return r


def test_a_name_alone_never_links(people: PersonResolver) -> None:
    decision = people.link("张伟")
    assert (decision.status, decision.entity_id) == ("new", None)
    assert decision.evidence["rule"] == "name_only"
    assert decision.evidence["candidates"] == 2


def test_name_and_affiliation_link(people: PersonResolver) -> None:
    decision = people.link("张伟", affiliation_id="ent:hx")
    assert (decision.status, decision.entity_id) == ("linked", "person:b")
    assert decision.evidence["matched"]["affiliation"] == "ent:hx"


def test_name_and_a_shared_coinventor_link(people: PersonResolver) -> None:
    decision = people.link("张伟", coauthors=["王芳", "陈晨"])
    assert (decision.status, decision.entity_id) == ("linked", "person:a")
    assert decision.evidence["matched"]["coauthors"] == ["王芳"]


def test_name_and_field_only_asks_for_review(people: PersonResolver) -> None:
    decision = people.link("张伟", ipc_subclasses=["H01L 33/00"])
    assert (decision.status, decision.entity_id) == ("review", "person:a")
    assert decision.evidence["matched"]["ipc"] == ["H01L"]


def test_context_without_the_name_links_nothing(people: PersonResolver) -> None:
    decision = people.link("李娜", affiliation_id="uni:tju", coauthors=["李强"], ipc_subclasses=["H01L"])
    assert decision.status == "new"
    assert decision.evidence["rule"] == "no_name_match"


def test_equal_context_for_two_namesakes_is_ambiguous() -> None:
    r = PersonResolver()
    r.add("person:1", "王磊", affiliation_id="uni:1", coauthors=[], ipc_subclasses=[])
    r.add("person:2", "王磊", affiliation_id="uni:1", coauthors=[], ipc_subclasses=[])
    decision = r.link("王磊", affiliation_id="uni:1")
    assert decision.status == "review"
    assert decision.evidence["reason"] == "ambiguous"
    assert decision.evidence["alternatives"] == ["person:2"]


def test_latin_names_match_in_either_order_and_across_scripts() -> None:
    r = PersonResolver()
    r.add("person:1", "CHEN LIHUA", affiliation_id="uni:1", coauthors=[], ipc_subclasses=[])
    assert r.link("Lihua Chen", affiliation_id="uni:1").entity_id == "person:1"
    # 陈丽华 ↔ CHEN LIHUA is a transliteration: it starts lower and needs more context.
    assert r.link("陈丽华", affiliation_id="uni:1").status == "review"
    assert r.link("陈丽华", affiliation_id="uni:1", ipc_subclasses=[]).evidence["matched"]["name"] == (
        "transliteration"
    )


def test_later_mentions_enrich_a_person() -> None:
    r = PersonResolver()
    r.add("person:1", "刘洋", affiliation_id="ent:a", coauthors=[], ipc_subclasses=[])
    r.add("person:1", "刘洋", affiliation_id=None, coauthors=["孙悦"], ipc_subclasses=["G06F"])
    assert r.link("刘洋", coauthors=["孙悦"]).entity_id == "person:1"
    assert len(r) == 1


def test_keys() -> None:
    assert person_name_key("张 伟") == "张伟"
    assert person_name_key("Chen, Lihua") == person_name_key("LIHUA CHEN") == "CHEN LIHUA"
    assert person_latin_key("张伟") == "WEI ZHANG"
    assert ipc_subclass("h01l 33/00") == "H01L"
