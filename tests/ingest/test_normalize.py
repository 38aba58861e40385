"""Cell normalisation: credit codes, IPC variants, dates, money, regions, text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.errors import ValueRejected
from ingest.normalize import (
    CREDIT_CODE_CHARS,
    clean_text,
    credit_code_check_char,
    ipc_hierarchy,
    parse_bool,
    parse_credit_code,
    parse_date,
    parse_ipc,
    parse_money,
    parse_region,
    unit_from_header,
)


@pytest.mark.parametrize("code", ["914403001922038216", "9144030071526726XG"])
def test_published_credit_codes_pass_the_gb32100_check(code: str) -> None:
    # Two codes printed on public business licences (Huawei, Tencent): the algorithm must accept them.
    assert parse_credit_code(code) == code


def test_credit_code_is_cleaned_before_the_check() -> None:
    assert parse_credit_code(" 9144 0300 7152 6726xg ") == "9144030071526726XG"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("914403001922038217", "check character is '7', GB 32100-2015 gives '6'"),
        ("91440300192203821", "has 17 characters"),
        ("9144030019220382I6", "'I' is not allowed"),
        ("91AB03001922038216", "characters 3-8 must be a division code"),
    ],
)
def test_bad_credit_codes_say_why(code: str, reason: str) -> None:
    with pytest.raises(ValueRejected, match=reason):
        parse_credit_code(code)


@given(st.text(alphabet=CREDIT_CODE_CHARS, min_size=17, max_size=17).filter(lambda s: s[2:8].isdigit()))
def test_every_generated_code_validates_and_any_other_check_char_fails(body: str) -> None:
    good = body + credit_code_check_char(body)
    assert parse_credit_code(good) == good
    wrong = next(c for c in CREDIT_CODE_CHARS if c != good[-1])
    with pytest.raises(ValueRejected):
        parse_credit_code(body + wrong)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("H01L 33/00", "H01L33/00"),
        ("H01L33/00", "H01L33/00"),
        ("H01L0033000000", "H01L33/00"),
        ("h01l 33/02", "H01L33/02"),
        ("H01L0033012000", "H01L33/012"),
        ("Ｈ０１Ｌ　３３／００", "H01L33/00"),
        ("G06F 17/30 (2006.01)", "G06F17/30"),
        ("B64C", "B64C"),
    ],
)
def test_ipc_written_variants_become_one_code(written: str, canonical: str) -> None:
    assert parse_ipc(written) == canonical


@pytest.mark.parametrize("bad", ["H01L 33", "Z01L33/00", "H1L33/00", "H01L0/00", "drone", "H01L33/00/1"])
def test_bad_ipc_codes_are_rejected(bad: str) -> None:
    with pytest.raises(ValueRejected, match="IPC"):
        parse_ipc(bad)


def test_ipc_hierarchy_goes_section_class_subclass_group_subgroup() -> None:
    assert ipc_hierarchy("H01L33/02") == [
        ("H", "section"),
        ("H01", "class"),
        ("H01L", "subclass"),
        ("H01L33/00", "group"),
        ("H01L33/02", "subgroup"),
    ]
    assert ipc_hierarchy("H01L33/00")[-1] == ("H01L33/00", "group")


@given(st.from_regex(r"[A-H][0-9]{2}[A-Z][1-9][0-9]{0,3}/[0-9]{2,5}", fullmatch=True))
def test_ipc_parse_is_idempotent_and_survives_padding(code: str) -> None:
    canonical = parse_ipc(code)
    assert parse_ipc(canonical) == canonical
    group, subgroup = canonical[4:].split("/")
    padded = canonical[:4] + group.zfill(4) + subgroup.ljust(6, "0")
    if len(subgroup) <= 6:
        assert parse_ipc(padded) == canonical


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2021-03-05", "2021-03-05"),
        ("2021/3/5", "2021-03-05"),
        ("2021.3.5", "2021-03-05"),
        ("20210305", "2021-03-05"),
        ("2021年3月5日", "2021-03-05"),
        ("2021-03-05 00:00:00", "2021-03-05"),
        ("2021年3月", "2021-03"),
        ("2021", "2021"),
    ],
)
def test_dates_in_chinese_and_iso_forms(written: str, iso: str) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize("bad", ["2021-02-30", "2021年13月", "next week", "05/03/2021"])
def test_impossible_or_ambiguous_dates_are_rejected(bad: str) -> None:
    with pytest.raises(ValueRejected):
        parse_date(bad)


@pytest.mark.parametrize(
    ("written", "default_unit", "yuan"),
    [
        ("1234.5", "元", 1234.5),
        ("1,234.5元", "万元", 1234.5),
        ("12.5万元", "元", 125_000.0),
        ("1.2亿元", "元", 120_000_000.0),
        ("¥3000", "元", 3000.0),
        ("３０万元", "元", 300_000.0),
        ("30", "万元", 300_000.0),
        (30, "万元", 300_000.0),
    ],
)
def test_money_in_yuan_wan_yi_becomes_yuan(written: str | int, default_unit: str, yuan: float) -> None:
    assert parse_money(written, default_unit) == pytest.approx(yuan)


def test_money_unit_is_read_from_the_header() -> None:
    assert unit_from_header("营业收入（万元）") == "万元"
    assert unit_from_header("营业收入") is None


def test_region_from_division_code_or_address() -> None:
    assert parse_region("120110") == "120110"
    assert parse_region("120110000000") == "120110"
    assert parse_region("天津市东丽区华明街道弘贯路8号") == "120110"
    with pytest.raises(ValueRejected, match="cannot place"):
        parse_region("不知道在哪里")


def test_text_is_half_width_and_single_spaced() -> None:
    assert clean_text("  天津（东丽）ＡＢＣ  科技\t有限公司 ") == "天津(东丽)ABC 科技 有限公司"


@given(st.text())
def test_clean_text_is_idempotent(text: str) -> None:
    assert clean_text(clean_text(text)) == clean_text(text)


def test_bool_words() -> None:
    assert parse_bool("是") is True and parse_bool("否") is False and parse_bool("Y") is True
    with pytest.raises(ValueRejected, match="yes/no"):
        parse_bool("maybe")
