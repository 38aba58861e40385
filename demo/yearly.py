"""The demo over time: the 2011–2015 tech-SME lists with each firm's revenue, staff and R&D.

The 2010 list is the world's baseline (``world.py``, calibrated to the digest). From it every firm
follows a path of its own (``docs/DEMO_DATA.md``, *The years 2011–2015*):

- a firm-level trend drawn once (median ≈ 12 % a year, wide spread; one firm in twelve a
  fast grower at 35–60 %), plus yearly noise — so some firms cross 1亿元 and become little giants,
  some shrink;
- each year a firm leaves the list with a probability that is higher for small firms (a later
  list that omits it ends its membership; it stays in the graph);
- new members each year: district firms from the registry that were not tech SMEs, and firms
  founded after 2010 (new credit codes, names the registry has never seen), mostly small.

The parameters are set for plausibility, not for any indicator to come out met or behind: with
them the district grows its list to roughly 1,100–1,300 firms by 2015 (the plan wanted 2,000).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from demo import catalog as cat
from demo.codes import fictitious_credit_code
from demo.world import INDUSTRY_BY_KEY, Org, World

YEARS: Final[tuple[int, ...]] = (2011, 2012, 2013, 2014, 2015)
FIRST_YEAR: Final = 2010
#: New members per year at scale 1 (registry firms and newly founded firms together).
ENTRANTS: Final[dict[int, int]] = {2011: 150, 2012: 165, 2013: 175, 2014: 185, 2015: 190}
NEW_FIRM_SHARE: Final = 0.6  # of entrants, founded after 2010 (else from the 2010 registry)
ENTRANT_STRATEGIC: Final = 0.45  # entrants that declare a strategic emerging industry
ENTRANT_IN_PARK: Final = 0.6
#: Yearly chance that a listed firm outside the parks settles in one (the plan pushes firms into
#: parks; most small firms stay where they are).
MOVE_INTO_PARK: Final = 0.06
NEW_SERIAL_BASE: Final = 600_000  # credit-code serials of firms founded after 2010
LIST_HEADER: Final[tuple[str, ...]] = (
    "序号",
    "单位名称",
    "社会信用代码",
    "所在园区",
    "所属战略性新兴产业",
    "高新技术企业",
    "营业收入（万元）",
    "研发投入（万元）",
    "从业人员",
    "认定年度",
)


@dataclass
class FirmYear:
    revenue_wan: float
    rd_wan: float
    employees: int
    high_tech: bool


@dataclass
class Member:
    """A firm's yearly path: figures for each year it is on the list."""

    org: Org
    park: str
    strategic: str  # the plan industry's Chinese name, or ""
    trend: float
    years: dict[int, FirmYear] = field(default_factory=dict)
    left: int | None = None  # the first year it is no longer listed
    parks: dict[int, str] = field(default_factory=dict)  # the park it is in each listed year ("" none)

    def park_in(self, year: int) -> str:
        return self.parks.get(year, self.park)


def _exit_probability(revenue_wan: float) -> float:
    # Small firms drop off the list (no re-recognition, closed, moved away) far more often.
    return 0.10 if revenue_wan < 500 else 0.05 if revenue_wan < 10_000 else 0.02


def _trend(rng: random.Random) -> float:
    if rng.random() < 1 / 12:
        return rng.uniform(0.35, 0.60)
    return math.exp(rng.gauss(math.log(1.12), 0.10)) - 1


def _new_firm(rng: random.Random, serial: int, year: int, used: set[str]) -> Org:
    ind = cat.ALL_INDUSTRIES[rng.randrange(len(cat.ALL_INDUSTRIES))]
    while True:  # three-syllable cores: never one of the registry's two-syllable names
        core = "".join(rng.choice(cat.NAME_SYLLABLES) for _ in range(3))
        name = f"天津{core}{rng.choice(ind.trade_words)}科技有限公司"
        if name not in used:
            used.add(name)
            break
    code = fictitious_credit_code(NEW_SERIAL_BASE + serial)
    return Org(
        f"ent:{code}",
        "Enterprise",
        name,
        kind="科技型中小企业",
        credit_code=code,
        industry=ind.key,
        founded=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        legal_form="有限公司",
    )


def build_paths(world: World) -> list[Member]:
    """Every firm that is on a tech-SME list in 2010–2015, with its figures per listed year."""
    rng = random.Random(f"{world.seed}:yearly")
    strategic_names = [i.name for i in cat.INDUSTRIES]
    parks = [p.name for p in cat.PARKS if p.kind != "产业化基地"]
    members = []
    for org in sorted(world.tech_smes, key=lambda o: o.credit_code):
        member = Member(
            org,
            org.park,
            INDUSTRY_BY_KEY[org.industry].name if INDUSTRY_BY_KEY[org.industry].strategic else "",
            _trend(rng),
        )
        member.years[FIRST_YEAR] = FirmYear(org.revenue_wan, org.rd_wan, org.employees, org.high_tech)
        members.append(member)
    pool = sorted(
        (o for o in world.by_label("Enterprise") if not o.tech_sme and o.legal_form != "分公司"),
        key=lambda o: o.credit_code,
    )
    rng.shuffle(pool)
    used = {o.name for o in world.orgs.values()}
    serial = 0
    for year in YEARS:
        for member in members:
            last = member.years.get(year - 1)
            if last is None or member.left is not None:
                continue
            if rng.random() < _exit_probability(last.revenue_wan):
                member.left = year
                continue
            growth = member.trend + rng.gauss(0, 0.10)
            revenue = round(max(20.0, last.revenue_wan * (1 + growth)), 1)
            ratio = revenue / last.revenue_wan
            member.years[year] = FirmYear(
                revenue,
                round(
                    revenue * min(0.12, max(0.01, last.rd_wan / last.revenue_wan * rng.uniform(0.9, 1.15))), 1
                ),
                max(3, round(last.employees * ratio**0.6)),
                last.high_tech or (revenue >= 3000 and rng.random() < 0.08),
            )
        for _ in range(ENTRANTS[year] * world.scale):
            if rng.random() < NEW_FIRM_SHARE or not pool:
                org = _new_firm(rng, serial, year, used)
                serial += 1
            else:
                org = pool.pop()
            strategic = ""
            if rng.random() < ENTRANT_STRATEGIC:
                strategic = rng.choice(strategic_names)
            park = rng.choice(parks) if rng.random() < ENTRANT_IN_PARK else ""
            revenue = round(math.exp(rng.uniform(math.log(80), math.log(6000))), 1)
            employees = max(3, int(revenue / rng.uniform(40, 110)) + rng.randint(2, 12))
            member = Member(org, park, strategic, _trend(rng) + 0.05)
            member.years[year] = FirmYear(
                revenue, round(revenue * rng.uniform(0.03, 0.1), 1), employees, False
            )
            members.append(member)
    _settle_in_parks(members, world.seed, parks)
    return members


def _settle_in_parks(members: list[Member], seed: int, parks: list[str]) -> None:
    """Each listed year's park: a firm outside the parks may settle in one (it stays), with a
    generator of its own, so the paths above are the same with or without it."""
    rng = random.Random(f"{seed}:yearly:parks")
    for member in members:
        park = member.park
        first = min(member.years)
        for year in sorted(member.years):
            if year != first and not park and rng.random() < MOVE_INTO_PARK:
                park = rng.choice(parks)
            member.parks[year] = park


def list_rows(members: list[Member], year: int) -> list[list[Any]]:
    """The rows of the tech-SME list of ``year`` (largest revenue first, as lists are printed)."""
    listed = sorted(
        (m for m in members if year in m.years),
        key=lambda m: (-m.years[year].revenue_wan, m.org.credit_code),
    )
    rows = []
    for i, m in enumerate(listed, start=1):
        fy = m.years[year]
        rows.append(
            [
                i,
                m.org.name,
                m.org.credit_code,
                m.park_in(year),
                m.strategic,
                "是" if fy.high_tech else "否",
                fy.revenue_wan,
                fy.rd_wan,
                fy.employees,
                year,
            ]
        )
    return rows


LITTLE_GIANT_WAN: Final = 10_000  # 科技小巨人: revenue ≥ 1亿元
HIGH_TECH_HEADER: Final[tuple[str, ...]] = ("序号", "企业名称", "统一社会信用代码", "认定年度")
LITTLE_GIANT_HEADER: Final[tuple[str, ...]] = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "营业收入（万元）",
    "认定年度",
)
PARK_HEADER: Final[tuple[str, ...]] = ("序号", "企业名称", "统一社会信用代码", "所在园区", "年度")


def _listed(members: list[Member], year: int) -> list[Member]:
    return sorted((m for m in members if year in m.years), key=lambda m: m.org.credit_code)


def high_tech_rows(members: list[Member]) -> list[list[Any]]:
    """高新技术企业名单 2010–2015 in one register (a row per firm and year): the listed firms
    holding the high-tech certificate that year (2010: the baseline's flag; a firm earns it later
    once it is large enough, ``build_paths``)."""
    rows: list[list[Any]] = []
    for year in (FIRST_YEAR, *YEARS):
        for m in _listed(members, year):
            if m.years[year].high_tech:
                rows.append([len(rows) + 1, m.org.name, m.org.credit_code, year])
    return rows


def little_giant_rows(members: list[Member]) -> list[list[Any]]:
    """科技小巨人企业名单 2010–2015 (a row per firm and year): a listed firm is recognised the year
    its revenue first reaches 1亿元 and keeps the title while it stays on the tech-SME list, even
    in a weaker year (titles are rarely withdrawn). 2010 is the baseline: every listed firm at or
    above 1亿元, as the digest counts them."""
    rows: list[list[Any]] = []
    for year in (FIRST_YEAR, *YEARS):
        for m in _listed(members, year):
            if max(fy.revenue_wan for y, fy in m.years.items() if y <= year) >= LITTLE_GIANT_WAN:
                rows.append([len(rows) + 1, m.org.name, m.org.credit_code, m.years[year].revenue_wan, year])
    return rows


def park_rows(members: list[Member]) -> list[list[Any]]:
    """入园企业名单 2010–2015 (a row per firm and year): the listed firms in a park that year."""
    rows: list[list[Any]] = []
    for year in (FIRST_YEAR, *YEARS):
        for m in _listed(members, year):
            if m.park_in(year):
                rows.append([len(rows) + 1, m.org.name, m.org.credit_code, m.park_in(year), year])
    return rows


def expected_by_year(members: list[Member]) -> dict[str, dict[str, Any]]:
    """What the monitor must show per year (``truth/expected.json`` → ``yearly``)."""
    out: dict[str, dict[str, Any]] = {}
    lists = {
        key: Counter(row[-1] for row in rows)
        for key, rows in (
            ("highTechList", high_tech_rows(members)),
            ("littleGiantList", little_giant_rows(members)),
            ("parkList", park_rows(members)),
        )
    }
    for year in (FIRST_YEAR, *YEARS):
        listed = [m for m in members if year in m.years]
        revenues = [m.years[year].revenue_wan for m in listed]
        out[str(year)] = {
            "techSmes": len(listed),
            **{key: counts[year] for key, counts in lists.items()},
            "littleGiants": sum(1 for r in revenues if r >= LITTLE_GIANT_WAN),
            "over300m": sum(1 for r in revenues if r > 30_000),
            "over1bn": sum(1 for r in revenues if r > 100_000),
            "revenueTotalYuan": round(sum(revenues) * 10_000),
            "left": sum(1 for m in members if m.left == year),
            "entered": sum(1 for m in members if min(m.years) == year and year != FIRST_YEAR),
        }
    return out


#: New incubators recognised per year at scale 1 (the plan wanted 50 by 2015, ≥ 50 % city level).
NEW_INCUBATORS: Final[dict[int, int]] = {2011: 3, 2012: 4, 2013: 5, 2014: 5, 2015: 6}
INCUBATOR_SERIAL_BASE: Final = 800_000
INCUBATOR_HEADER: Final[tuple[str, ...]] = ("机构名称", "统一社会信用代码", "类型", "级别", "认定年度")
_PROMOTION: Final[dict[str, tuple[str, float]]] = {"区级": ("市级", 0.25), "市级": ("国家级", 0.08)}


def incubator_lists(world: World) -> dict[int, list[list[Any]]]:
    """The yearly incubator lists 2010–2015: the 2010 incubators, new ones each year, and
    levels that rise (区级 → 市级 → 国家级) as incubators are re-rated."""
    rng = random.Random(f"{world.seed}:yearly:incubators")
    current = [
        [o.name, o.credit_code, o.kind, o.level or "区级"]
        for o in sorted(world.by_label("Incubator"), key=lambda o: o.credit_code)
    ]
    used = {o.name for o in world.orgs.values()}
    serial = 0
    lists = {FIRST_YEAR: [[*row, FIRST_YEAR] for row in current]}
    for year in YEARS:
        for row in current:
            promoted = _PROMOTION.get(row[3])
            if promoted is not None and rng.random() < promoted[1]:
                row[3] = promoted[0]
        for _ in range(NEW_INCUBATORS[year] * world.scale):
            kind = rng.choice(("科技企业孵化器", "科技企业孵化器", "创业苗圃", "加速器"))
            while True:
                name = f"天津{''.join(rng.choice(cat.NAME_SYLLABLES) for _ in range(3))}{kind}有限公司"
                if name not in used:
                    used.add(name)
                    break
            code = fictitious_credit_code(INCUBATOR_SERIAL_BASE + serial)
            serial += 1
            current.append([name, code, kind, "区级"])
        lists[year] = [[*row, year] for row in current]
    return lists
