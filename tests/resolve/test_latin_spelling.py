"""Latin-script spellings from the real Lens drone sample that the resolver missed (issue #11):
typos, word order, Derwent's 30-character truncation, acronyms, Chinese place words — and the
look-alikes the same rules must keep apart."""

from __future__ import annotations

import pytest

from graph.model import NodeLabel
from ingest.builder import is_link
from ingest.latin_spelling import deletion_keys, is_pinyin_word, is_transposition, untruncate
from ingest.names import normalize_org_name
from ingest.resolve import Candidate, OrgResolver

BUAA = Candidate("uni:buaa", NodeLabel.UNIVERSITY, "北京航空航天大学", aliases=("BUAA",))


def _link(mention: str, *candidates: Candidate) -> tuple[str | None, str, float]:
    d = OrgResolver(list(candidates)).link(mention)
    return d.entity_id if is_link(d) else None, d.status, d.score


@pytest.mark.parametrize(
    ("mention", "candidate"),
    [
        ("ELWAH LLC", "ELWHA LLC"),  # neighbours swapped: the Indel ratio (80) counted two edits
        ("LILLY CO ELI", "ELILILLY AND COMPANY"),  # word order and glue; never even blocked
        ("GEN ATOMICS AERONAUTICAL SYSTE", "GEN ATOMICS AERONAUTICAL SYSTEMS INC"),  # 30 characters
        ("DINGZHOU CITY LISHENG SPORTS GOODS CO LTD", "DINGZHOU LISHENG SPORTING GOODS CO LTD"),
        ("INST NAT RECH INF AUTOMAT", "INSTITUT NATIONAL RESEARCH INFORMATION AUTOMATION"),
    ],
)
def test_latin_spellings_of_one_firm_link(mention: str, candidate: str) -> None:
    entity, status, score = _link(mention, Candidate("ent:x", NodeLabel.ENTERPRISE, candidate))
    assert entity == "ent:x", (status, score)


@pytest.mark.parametrize(
    "mention",
    [
        "BEIING AEROSPACE UNIV",  # a typo (not pinyin) of BEIJING
        "UNIV BEIJING BUAA",  # its acronym, and otherwise only words of its names
        "UNIV BEIJING AERONAUTIC & AEROSPACE",  # 航空航天 written AERONAUTICS AND AEROSPACE
    ],
)
def test_lens_spellings_of_beihang_link_to_its_chinese_name(mention: str) -> None:
    assert _link(mention, BUAA)[0] == "uni:buaa"


@pytest.mark.parametrize(
    ("mention", "candidate"),
    [
        # One letter, but both are pinyin: 华兴 and 华新 are two trade names.
        ("HUAXING TECH CO LTD", Candidate("ent:1", NodeLabel.ENTERPRISE, "天津华新科技有限公司")),
        ("TIANJIN HUAXING TECH CO LTD", Candidate("ent:1", NodeLabel.ENTERPRISE, "天津华新科技有限公司")),
        # CITY is part of the name when it does not follow a Chinese place.
        ("CITY UNIV HONG KONG", Candidate("uni:1", NodeLabel.UNIVERSITY, "UNIV HONG KONG")),
        ("OKLAHOMA CITY UNIV", Candidate("uni:1", NodeLabel.UNIVERSITY, "OKLAHOMA UNIV")),
        # An acronym with a word its organisation does not have.
        ("UNIV TIANJIN BUAA", BUAA),
        # A 30-character name whose last word could be several words keeps it (AERO…).
        (
            "SHENZHEN HUAXIN INTELLIGEN AERO",
            Candidate("ent:1", NodeLabel.ENTERPRISE, "SHENZHEN HUAXIN AEROSPACE"),
        ),
        # One letter replaced (not swapped) in a one-word name is another name.
        ("BOSCO AG", Candidate("ent:1", NodeLabel.ENTERPRISE, "BOSCH AG")),
    ],
)
def test_look_alikes_stay_apart(mention: str, candidate: Candidate) -> None:
    assert _link(mention, candidate)[0] is None


def test_a_pinyin_near_miss_across_scripts_is_not_even_review() -> None:
    """滨州学院 was put to review against 北部湾大学's alias Qinzhou College (BINZHOU / QINZHOU)."""
    qinzhou = Candidate("uni:q", NodeLabel.UNIVERSITY, "北部湾大学", aliases=("Qinzhou College",))
    assert _link("滨州学院", qinzhou)[1] == "new"


def test_spelling_helpers() -> None:
    assert is_pinyin_word("HUAXING") and is_pinyin_word("DINGZHOU") and not is_pinyin_word("BEIING")
    assert not is_pinyin_word("ELWHA")
    assert is_transposition("ELWAH", "ELWHA") and not is_transposition("BOSCO", "BOSCH")
    assert deletion_keys("ELWAH") & deletion_keys("ELWHA") == {"ELWA", "ELWH"}
    assert untruncate("GEN ATOMICS AERONAUTICAL SYSTE") == "GEN ATOMICS AERONAUTICAL SYSTEM"
    assert untruncate("GEN ATOMICS AERONAUTICAL SYS") == "GEN ATOMICS AERONAUTICAL SYS"  # 28 characters
    assert untruncate("SANDERS PROBEL BIOTECHNOLOGY S") == "SANDERS PROBEL BIOTECHNOLOGY S"


def test_abbreviations_come_from_the_data_table() -> None:
    assert normalize_org_name("BAE SYS INF & ELECT SYS INTEG") == normalize_org_name(
        "BAE SYSTEM INFORMATION AND ELECTRIC SYSTEMS INTEGRATION"
    )
    assert normalize_org_name("UNIV CAS") == "UNIVERSITY CHINA ACADEMY SCIENCE"
