"""Taiwan spellings of foreign institutions and Taiwan's own 國立 (issue #11), from the real
Taiwan academic-patent file (``real-tw-academic-patents/``, label groups t010, t035, t046, t070,
t088, t089, t090 and u001/u002 of ``bench/linking_real_labels.csv``) — and the look-alikes that
stay apart."""

from __future__ import annotations

import pytest

from graph.model import NodeLabel
from ingest.builder import is_link
from ingest.names import normalize_org_name
from ingest.resolve import Candidate, OrgResolver


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("伊利諾大學受託人董事會", "伊利諾伊大學受託人董事會"),  # Illinois: 伊利諾 / 伊利諾伊
        ("伊利諾大學董事會", "伊利諾伊大學受託人董事會"),
        ("德州大學董事會", "德克薩斯大學系統董事會"),  # Texas: 德州 / 德克薩斯
        ("德州系統大學董事會", "德克薩斯大學體系董事會"),
        ("美國德州系統大學評議委員會", "德克薩斯大學系統董事會"),
        ("史丹佛大學董事會", "李蘭史丹佛學院理事會"),  # Stanford: 史丹佛 / Leland Stanford Junior
        ("史丹佛學院理事會", "史丹佛大學董事會"),
        ("台夫特理工大學", "代爾夫特理工大學"),  # Delft
        ("偉恩州立大學", "韋恩州立大學"),  # Wayne State
        ("加州大學董事會", "加利福尼亞大學董事會"),  # University of California
        ("雷根斯加州大學", "加利福尼亞大學董事會"),  # 雷根斯 = Regents
        ("小利蘭‧斯坦福大學理事會", "史丹佛大學董事會"),
        ("德州農工大學體系", "德克薩斯農工大學系統"),  # Texas A&M
        ("美國密西根州立大學董事委員會", "密歇根州立大學董事會"),  # Michigan
        ("台灣大學", "國立臺灣大學"),  # 國立 before a Taiwan place is optional
        ("國立台北科技大學", "台北科技大學"),
    ],
)
def test_taiwan_spellings_are_one_organisation(mention: str, name: str) -> None:
    assert normalize_org_name(mention) == normalize_org_name(name)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("國立清華大學", "清华大学"),  # Hsinchu is not Beijing: 國立 stays before other names
        ("國立交通大學", "交通大学"),
        ("學校法人東海大學", "東海大學"),  # Tokai (a Japanese school corporation) is not Tunghai
        ("德州学院", "德克萨斯学院"),  # Dezhou University (山东德州): bare 德州 is a Chinese city
        ("偉恩科技有限公司", "韋恩科技有限公司"),  # in a firm's name the characters are its trade name
    ],
)
def test_look_alikes_stay_apart(a: str, b: str) -> None:
    assert normalize_org_name(a) != normalize_org_name(b)


def test_tokai_is_not_linked_to_tunghai() -> None:
    """The wrong merge the real-file benchmark found: 學校法人東海大學 = 東海大學."""
    tunghai = Candidate("uni:thu-tw", NodeLabel.UNIVERSITY, "東海大學")
    assert not is_link(OrgResolver([tunghai]).link("學校法人東海大學"))
    # …while the same corporation with the country written before it is still one.
    tokai = Candidate("uni:tokai", NodeLabel.UNIVERSITY, "學校法人東京理科大學")
    assert is_link(OrgResolver([tokai]).link("日本學校法人東京理科大學"))


def test_transliterations_keep_the_normal_form_idempotent() -> None:
    for name in (
        "伊利諾伊大學受託人董事會",
        "德克薩斯大學體系董事會",
        "雷根斯加州大學",
        "李蘭史丹佛學院理事會",
    ):
        normal = normalize_org_name(name)
        assert normalize_org_name(normal) == normal
