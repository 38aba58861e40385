"""Chinese-script spellings from the real Taiwan academic-patent file (issue #11): Taiwan's
nationality prefixes (日商, 美商, 大陸商), a foreign institution's own country, 私立 — and the
look-alikes that stay apart (中國科技大學 is not USTC; 中佛羅里達 is not 佛羅里達)."""

from __future__ import annotations

import pytest

from graph.model import NodeLabel
from ingest.builder import is_link
from ingest.names import normalize_org_name
from ingest.resolve import Candidate, OrgResolver


def _linked(mention: str, candidate: Candidate) -> bool:
    return is_link(OrgResolver([candidate]).link(mention))


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("日商三菱化學股份有限公司", "三菱化學股份有限公司"),
        ("南韓商三星顯示器有限公司", "三星顯示器有限公司"),
        ("大陸商中國科學院大連化學物理研究所", "中国科学院大连化学物理研究所"),
        ("中國大陸商昆山國顯光電有限公司", "昆山國顯光電有限公司"),
        ("美國康奈爾大學", "康奈爾大學"),
        ("荷蘭代爾夫特理工大學", "代爾夫特理工大學"),
        ("日本國立大學法人東京大學", "國立大學法人東京大學"),
        ("私立淡江大學", "淡江大學"),
    ],
)
def test_taiwan_prefixes_are_not_part_of_the_name(mention: str, name: str) -> None:
    assert normalize_org_name(mention) == normalize_org_name(name)


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("日本化藥股份有限公司", "日本化药"),  # 日本 is Nippon Kayaku's trade name, not a prefix
        ("日本大學", "日本大学"),  # Nihon University
        ("日商貿易有限公司", "日商贸易"),  # 商貿 is the trade, not a nationality
    ],
)
def test_a_country_that_is_the_name_stays(name: str, normal: str) -> None:
    assert normalize_org_name(name) == normal


def test_a_chinese_name_is_compared_by_its_characters_not_its_english_alias() -> None:
    """中國科技大學 (China University of Technology, Taiwan) linked to USTC through USTC's English
    alias "University of Science and Technology of China"."""
    ustc = Candidate(
        "uni:ustc",
        NodeLabel.UNIVERSITY,
        "中国科学技术大学",
        name_en="University of Science and Technology of China",
        aliases=("China University of Science and Technology",),
    )
    assert not _linked("中國科技大學", ustc)
    assert _linked("中國科學技術大學", ustc)


def test_a_university_foundation_with_another_name_is_another_foundation() -> None:
    florida = Candidate("org:uf", NodeLabel.ENTERPRISE, "美國佛羅里達大學研究基金會公司")
    assert not _linked("中佛羅里達大學研究基金會", florida)
    assert _linked("佛羅里達大學研究基金會公司", florida)


@pytest.mark.parametrize("name", ["美國美國美國康奈爾大學", "日商日商三菱化學股份有限公司", "美國大學"])
def test_prefix_stripping_is_idempotent(name: str) -> None:
    once = normalize_org_name(name)
    assert normalize_org_name(once) == once
