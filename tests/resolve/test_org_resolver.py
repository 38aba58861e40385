"""The organisation resolver: rules, caps, thresholds and evidence (pure, no store)."""

from __future__ import annotations

import pytest

from graph.model import NodeLabel
from ingest.resolve import Candidate, OrgResolver

L = NodeLabel
CODE = "91120110MA05XXXX1A"


@pytest.fixture
def resolver() -> OrgResolver:
    return OrgResolver(
        [
            Candidate("uni:tju", L.UNIVERSITY, "天津大学", aliases=("天大",), name_en="Tianjin University"),
            Candidate("uni:buaa", L.UNIVERSITY, "北京航空航天大学", aliases=("北航",)),
            Candidate("uni:tgu", L.UNIVERSITY, "天津工业大学", name_en="Tiangong University"),
            Candidate("uni:tut", L.UNIVERSITY, "天津理工大学", name_en="Tianjin University of Technology"),
            Candidate("ent:hx", L.ENTERPRISE, "天津华信科技有限公司", credit_code=CODE),
            Candidate("ent:hxdz", L.ENTERPRISE, "天津华信电子有限公司"),
            Candidate("ent:hxdl", L.ENTERPRISE, "天津华信科技有限公司东丽分公司"),
        ]
    )


@pytest.mark.parametrize(
    ("mention", "entity", "status", "rule"),
    [
        ("天津大学", "uni:tju", "exact", "exact_name"),
        ("天大", "uni:tju", "exact", "exact_alias"),
        ("Tianjin University", "uni:tju", "exact", "exact_alias"),  # its own English name
        ("UNIV TIANJIN", "uni:tju", "linked", "latin_key"),
        ("TIANJIN UNIV", "uni:tju", "exact", "exact_alias"),  # UNIV → UNIVERSITY: its English name
        ("UNIV BEI HANG", "uni:buaa", "linked", "latin_key"),  # pinyin of the alias 北航
        ("BEIHANG UNIV", "uni:buaa", "linked", "latin_key"),
        ("UNIV TIANJIN TECHNOLOGY", "uni:tut", "linked", "latin_key"),
        ("天津华信科技股份有限公司", "ent:hx", "exact", "exact_name"),
        ("华信科技（天津）有限公司", "ent:hx", "linked", "fuzzy"),  # place_position
        ("TIANJIN HUAXIN TECH CO LTD", "ent:hx", "linked", "latin_key"),
        ("华信科技东丽分公司", "ent:hxdl", "linked", "fuzzy"),  # place_omitted: its own 天津
    ],
)
def test_links(resolver: OrgResolver, mention: str, entity: str, status: str, rule: str) -> None:
    decision = resolver.link(mention)
    assert (decision.entity_id, decision.status, decision.evidence["rule"]) == (entity, status, rule)
    assert decision.score >= resolver.threshold
    assert decision.label == resolver.candidate(entity).label


def test_credit_code_wins_over_any_name(resolver: OrgResolver) -> None:
    decision = resolver.link("完全不同的名字有限公司", credit_code=CODE.lower())
    assert (decision.entity_id, decision.status, decision.evidence["rule"]) == (
        "ent:hx",
        "exact",
        "credit_code",
    )


def test_different_credit_code_is_never_linked_even_with_the_same_name(resolver: OrgResolver) -> None:
    decision = resolver.link("天津华信科技有限公司", credit_code="91120116MA05YYYY2B")
    assert decision.entity_id is None
    assert decision.status == "new"
    assert decision.evidence["creditCodeConflicts"] == ["ent:hx"]


def test_branch_is_not_merged_into_its_parent(resolver: OrgResolver) -> None:
    other_branch = resolver.link("天津华信科技有限公司河西分公司")
    assert other_branch.status == "new"
    assert other_branch.score < resolver.review_threshold


def test_shared_core_with_another_industry_word_is_another_firm(resolver: OrgResolver) -> None:
    decision = resolver.link("天津华信电子科技有限公司")
    assert decision.status == "new"
    assert decision.evidence.get("bestScore", 0) <= 60


def test_homophone_goes_to_review_not_to_a_link(resolver: OrgResolver) -> None:
    decision = resolver.link("天津华鑫科技有限公司")  # 鑫 and 信 are both xin
    assert decision.status == "review"
    assert decision.entity_id == "ent:hx"
    assert "homophone" in decision.evidence["caps"]


def test_close_but_different_trade_name_is_review_or_new(resolver: OrgResolver) -> None:
    decision = resolver.link("天津华信达科技有限公司")
    assert decision.status in ("review", "new")
    assert resolver.link("天津宏远科技有限公司").status == "new"


def test_ambiguous_short_name_goes_to_review_with_alternatives(resolver: OrgResolver) -> None:
    decision = resolver.link("天津华信")
    assert decision.status == "review"
    assert decision.evidence["reason"] == "ambiguous"
    assert decision.evidence["alternatives"]


def test_new_records_the_label_to_create(resolver: OrgResolver) -> None:
    decision = resolver.link("南开大学")
    assert (decision.status, decision.entity_id, decision.label) == ("new", None, None)
    assert decision.evidence["suggestedLabel"] == "University"


def test_added_candidates_are_found_and_aliases_accumulate() -> None:
    r = OrgResolver()
    assert r.link("南开大学").status == "new"
    r.add(Candidate("uni:nk", L.UNIVERSITY, "南开大学"))
    r.add(Candidate("uni:nk", L.UNIVERSITY, "南开"))  # the same id again: a new alias
    assert r.link("UNIV NANKAI").entity_id == "uni:nk"
    assert r.link("南开").status == "exact"
    assert r.candidate("uni:nk").name == "南开大学"
    assert len(r) == 1


def test_label_hint_breaks_a_tie_between_labels() -> None:
    r = OrgResolver(
        [
            Candidate("ent:a", L.ENTERPRISE, "天津华信科技有限公司"),
            Candidate("incu:a", L.INCUBATOR, "天津华信科技"),
        ]
    )
    plain = r.link("天津华信科技")
    hinted = r.link("天津华信科技", label_hint=L.INCUBATOR)
    assert plain.status == "review"  # two candidates share the normal form
    assert hinted.entity_id == "incu:a"


def test_every_decision_carries_its_evidence(resolver: OrgResolver) -> None:
    for mention in ("天大", "UNIV TIANJIN", "天津华鑫科技有限公司", "无关名称"):
        decision = resolver.link(mention)
        assert decision.evidence["rule"]
        assert decision.evidence["normal"]
        if decision.entity_id is not None:
            assert decision.evidence["score"] == decision.score


def test_thresholds_are_checked() -> None:
    with pytest.raises(ValueError, match="review_threshold"):
        OrgResolver(threshold=70, review_threshold=80)


def test_a_higher_threshold_turns_fuzzy_links_into_review(resolver: OrgResolver) -> None:
    strict = OrgResolver(
        [resolver.candidate(i) for i in sorted(resolver.entity_ids())], threshold=99, review_threshold=75
    )
    assert strict.link("UNIV TIANJIN").status == "review"
    assert strict.link("天大").status == "exact"
