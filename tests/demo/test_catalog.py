"""The demo vocabulary agrees with the real reference data it imitates."""

from __future__ import annotations

import csv

import pytest

from demo import catalog as cat
from ingest.reference import dongli_industries, ipc_to_sei
from tests.conftest import SHARED_DATA


@pytest.mark.parametrize("industry", cat.INDUSTRIES, ids=lambda i: i.key)
def test_strategic_ipc_groups_classify_into_their_sei_codes(industry: cat.Industry) -> None:
    allowed = set(next(d.sei_codes for d in dongli_industries() if d.key == industry.key))
    assert set(industry.sei) <= allowed
    for group in industry.ipc_groups:
        # the generator also writes main groups as their /02, /04, /06 subgroups
        variants = [group] + ([group[:-2] + s for s in ("02", "04", "06")] if group.endswith("/00") else [])
        for code in variants:
            sei = ipc_to_sei(code, SHARED_DATA)
            assert sei and set(sei) & allowed, f"{code} maps to {sei}, not into {industry.name}"


@pytest.mark.parametrize("industry", cat.TRADITIONAL, ids=lambda i: i.key)
def test_traditional_ipc_groups_are_outside_every_strategic_industry(industry: cat.Industry) -> None:
    for group in industry.ipc_groups:
        variants = [group] + ([group[:-2] + s for s in ("02", "04", "06")] if group.endswith("/00") else [])
        assert all(ipc_to_sei(code, SHARED_DATA) == [] for code in variants), group


def test_universities_are_real_with_their_moe_codes() -> None:
    path = SHARED_DATA / "cn-universities-moe-2025" / "universities_moe_2025.csv"
    with path.open(encoding="utf-8") as fh:
        moe = {row["moe_code"]: row["name"] for row in csv.DictReader(fh)}
    for uni in cat.UNIVERSITIES:
        assert moe[uni.key] == uni.name


def test_streets_are_dongli_streets_from_the_nbs_table() -> None:
    import gzip

    with gzip.open(SHARED_DATA / "cn-admin-divisions-2023" / "streets.csv.gz", "rt", encoding="utf-8") as fh:
        nbs = {row["code"]: row["name"] for row in csv.DictReader(fh) if row["areaCode"] == cat.DONGLI_CODE}
    assert cat.STREETS.items() <= nbs.items()
    assert {p.street for p in cat.PARKS} <= set(nbs)


def test_every_name_fits_in_gbk() -> None:
    # The registry and project lists are GBK files: every character written there must exist in GBK.
    text = "".join(cat.NAME_SYLLABLES) + "".join(cat.GIVEN_CHARS) + "".join(s for s, _ in cat.SURNAMES)
    text += "".join(i.name + "".join(i.short) for i in cat.UNIVERSITIES + cat.INSTITUTES)
    text += "".join("".join(i.trade_words + i.objects) for i in cat.ALL_INDUSTRIES)
    text.encode("gbk")
