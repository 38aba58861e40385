"""Organisation-name normalisation, Latin keys and classification (pure, no store)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from graph.model import NodeLabel
from ingest.names import branch_of, latin_keys, name_variants, normalize_org_name
from ingest.resolve import classify_org


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        # The place is identity: kept, in one spelling (天津市 → 天津); a bracketed place stays in
        # brackets, where the resolver matches it to the prefix form (rule place_position).
        ("天津市华信科技有限公司", "天津华信科技"),
        ("天津华信科技股份有限公司", "天津华信科技"),
        ("华信科技（天津）有限公司", "华信科技(天津)"),  # full-width brackets, region in brackets
        ("  天津 华信科技 有限责任公司 ", "天津华信科技"),
        ("天津市东丽区华信科技集团有限公司", "天津东丽区华信科技"),
        ("哈尔滨飞机工业(集团)有限责任公司", "哈尔滨飞机工业"),
        ("國立大學法人京都大學", "京都大学"),  # Traditional → Simplified, Japanese legal person
        ("中国人民解放军国防科技大学", "国防科技大学"),
        ("THE REGENTS OF THE UNIV OF MICHIGAN", "UNIVERSITY OF MICHIGAN"),
        ("UNIV WASHINGTON THROUGH ITS CT FOR COMMERCIALIZATION", "UNIVERSITY WASHINGTON"),
        ("INST SUPÉRIEUR DE L AÉRONAUTIQUE", "INSTITUTE SUPERIEUR DE L AERONAUTIQUE"),
        (
            "BEIJING UNIV OF POSTS AND TELECOMMUNICATIONS (BUPT)",
            "BEIJING UNIVERSITY OF POSTS AND TELECOMMUNICATION",
        ),
        ("КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ", "КОРОЛЁВ АНАТОЛИЙ ГРИГОРЬЕВИЧ"),  # other scripts keep their words
        ("ＡＢＣ科技有限公司", "ABC科技"),  # full-width Latin → half-width, upper case
        ("天津大学", "天津大学"),  # a university keeps its region: it is part of the name
        ("天津市东丽区生产力促进中心", "东丽区生产力促进中心"),  # the outer region goes, the own one stays
        ("中国电子科技集团公司第十八研究所", "中国电子科技集团公司第18研究所"),
        ("UNIV  Tianjin", "UNIVERSITY TIANJIN"),
        ("Tianjin Huaxin Tech. Co., Ltd.", "TIANJIN HUAXIN TECHNOLOGY"),
        ("", ""),
    ],
)
def test_normal_forms(raw: str, normal: str) -> None:
    assert normalize_org_name(raw) == normal


def test_branch_is_kept_distinct_from_its_parent() -> None:
    parent = normalize_org_name("天津华信科技有限公司")
    branch = normalize_org_name("天津华信科技有限公司东丽分公司")
    assert branch == "天津华信科技(东丽分公司)"
    assert branch != parent
    # Written without the legal form, the branch still splits at its place name.
    assert normalize_org_name("天津华信科技东丽分公司") == branch
    assert branch_of(branch) == ("天津华信科技", "东丽分公司")
    assert branch_of(parent) == ("天津华信科技", None)


def test_generic_cores_keep_their_distinguishing_word() -> None:
    assert normalize_org_name("天津华信科技有限公司") != normalize_org_name("天津华信电子有限公司")


def test_region_is_not_stripped_down_to_a_generic_word() -> None:
    # 天津科技 minus 天津 would leave only the generic 科技.
    assert normalize_org_name("天津科技有限公司") == "天津科技"


@pytest.mark.parametrize(
    "variants",
    [
        ("天津大学", "Tianjin University", "UNIV TIANJIN", "TIANJIN UNIV"),
        ("中国民航大学", "UNIV CIVIL AVIATION CHINA", "Civil Aviation University of China"),
        (
            "天津华信科技有限公司",
            "TIANJIN HUAXIN TECH CO LTD",
            "Tianjin Huaxin Science & Technology Co., Ltd.",
        ),
        ("中国电子科技集团公司第十八研究所", "CHINA ELECTRONICS TECH GROUP NO 18 RES INST"),
        ("中国科学院天津工业生物技术研究所", "TIANJIN INST IND BIOTECHNOLOGY CAS"),
    ],
)
def test_latin_keys_meet_across_scripts_and_word_orders(variants: tuple[str, ...]) -> None:
    keys = [latin_keys(v) for v in variants]
    for other in keys[1:]:
        assert keys[0] & other, variants


def test_alias_meets_lens_form_through_pinyin_and_type_word() -> None:
    assert latin_keys("北航", type_word="UNIVERSITY") & latin_keys("UNIV BEI HANG")


def test_latin_keys_keep_different_universities_apart() -> None:
    assert not latin_keys("UNIV TIANJIN") & latin_keys("UNIV TIANJIN TECHNOLOGY")
    assert not latin_keys("天津大学") & latin_keys("天津理工大学")


def test_name_variants_include_pinyin_and_english() -> None:
    assert name_variants("天津大学") == {"天津大学", "TIANJIN DAXUE", "TIANJIN UNIVERSITY"}
    assert name_variants("") == set()


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("天津大学", NodeLabel.UNIVERSITY),
        ("UNIV BEI HANG", NodeLabel.UNIVERSITY),
        ("ZHIJIANG COLLEGE OF ZHEJIANG UNIV TECHNOLOGY", NodeLabel.UNIVERSITY),
        ("中国科学院大学", NodeLabel.UNIVERSITY),  # the type word that ends last wins
        ("天津大学化工研究院", NodeLabel.RESEARCH_INSTITUTE),
        ("中国科学院天津工业生物技术研究所", NodeLabel.RESEARCH_INSTITUTE),
        ("中国电科18所", NodeLabel.RESEARCH_INSTITUTE),
        ("INST TEKHN KIB I ROBOTIKA PRI", NodeLabel.RESEARCH_INSTITUTE),
        ("天津华信科技企业孵化器有限公司", NodeLabel.INCUBATOR),
        ("东丽区创业苗圃", NodeLabel.INCUBATOR),
        ("天津市东丽区生产力促进中心", NodeLabel.PRODUCTIVITY_CENTER),
        ("天津华信知识产权代理事务所", NodeLabel.INTERMEDIARY),
        ("天津华信科技小额贷款有限公司", NodeLabel.INTERMEDIARY),
        ("天津华信投资管理有限公司", NodeLabel.INTERMEDIARY),
        ("天津华信科技有限公司", NodeLabel.ENTERPRISE),
        ("所长科技有限公司", NodeLabel.ENTERPRISE),  # 所 counts only as the last character
        ("PARROT", NodeLabel.ENTERPRISE),
    ],
)
def test_classify_org(name: str, label: NodeLabel) -> None:
    assert classify_org(name) == label


_CHARS = st.sampled_from(
    list("天津市东丽区华信科技电子有限公司股份集团大学研究所分（）() 　ＡBc-·第十八七〇")
)
_NAMES = st.text(_CHARS, max_size=24) | st.text(max_size=24)


@settings(max_examples=300, deadline=None)
@given(_NAMES)
def test_normalisation_is_idempotent(name: str) -> None:
    once = normalize_org_name(name)
    assert normalize_org_name(once) == once


_CJK_NAMES = st.text(
    st.sampled_from(list("天津市东丽区华信科技电子有限公司股份集团大学研究所分()第十八")), max_size=20
)


@settings(max_examples=200, deadline=None)
@given(_CJK_NAMES)
def test_spaces_and_bracket_width_do_not_change_a_chinese_normal_form(name: str) -> None:
    spaced = " ".join(name)
    full_width = name.replace("(", "（").replace(")", "）")
    assert normalize_org_name(spaced) == normalize_org_name(name)
    assert normalize_org_name(full_width) == normalize_org_name(name)


# Distinct names never share an id unless a named rule links them. Words are drawn from the
# scripts applicants are really written in; a word the vocabulary gives a rule to (legal forms,
# owner words, abbreviations, stop words, plurals of descriptive words) is left out, so the only
# remaining rules are case, width, spacing and Latin accents — and everything else must differ.
_ALPHABETS = {
    "latin": "ABCDEFGHIJKLMNOPQRSTUVWXYZÉÜØ",
    "cyrillic": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЫЭЮЯ",
    "hangul": "가나다라마바사아자차카타파하경광국동의",
    "katakana": "アイウエオカキクケコサシスセソタチツテトリージェント",
    "greek": "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
}


def _ruled(word: str) -> bool:
    from ingest.names import _EN_ABBREV, _EN_EXPAND, _EN_LEGAL, _EN_LEGAL_PREFIX, _EN_STOP, _GENERIC_EN

    plain = word.upper().translate(str.maketrans("ÉÜØ", "EUO"))
    vocab = _EN_LEGAL | _EN_STOP | _EN_LEGAL_PREFIX | set(_EN_ABBREV) | set(_EN_EXPAND) | _GENERIC_EN
    owner = {"THROUGH", "REGENTS", "TRUSTEES", "LIABILITY", "STATE", "BOARD"}
    return plain in vocab or plain.rstrip("S") in vocab or plain in owner or "ØE" in word


@st.composite
def _names(draw: st.DrawFn) -> str:
    script = draw(st.sampled_from(sorted(_ALPHABETS)))
    words = draw(
        st.lists(st.text(st.sampled_from(_ALPHABETS[script]), min_size=2, max_size=8), min_size=1, max_size=3)
    )
    return " ".join(w for w in words)


def _canonical(name: str) -> str:
    import unicodedata

    from ingest.names import fold_latin_accents

    return " ".join(fold_latin_accents(unicodedata.normalize("NFKC", name).upper()).split())


@settings(max_examples=400, deadline=None)
@given(_names(), _names())
def test_distinct_names_never_share_an_id_without_a_named_rule(a: str, b: str) -> None:
    from ingest.builder import org_id

    assume(not any(_ruled(w) for w in (a + " " + b).split()))
    same_id = org_id(NodeLabel.ENTERPRISE, a) == org_id(NodeLabel.ENTERPRISE, b)
    assert normalize_org_name(a)
    assert same_id == (_canonical(a) == _canonical(b)), (a, b)
