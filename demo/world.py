"""The canonical demo world: who exists, what they own and with whom they work.

Everything is drawn from ``random.Random`` streams seeded by ``(seed, part)``, so one part can
change without reshuffling the others, and the same seed always gives the same world. Raw files
(``writers.py``) are views of this world with the noise real exports have.

Co-application structure (what a matchmaking model should learn): each collaborating firm picks
university / institute partners with probability proportional to
``technology fit × (4 if they share an alliance) × (2.5 if in the same district)``; every partner
relationship starts in a given year and the firm's later patents are co-applied with its active
partners. Partners that start late (2013–2015) are mostly alliance partners with no earlier
common neighbour, which Adamic–Adar cannot see and a feature-based model can.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from demo import catalog as cat
from demo.codes import application_number, fictitious_credit_code, patent_number

#: Calibration at ×1 (DIGEST.md, end of 2010).
BANDS: tuple[tuple[str, int, float, float], ...] = (
    # band, firms at ×1, revenue range in 万元
    (">10亿", 3, 120_000, 500_000),
    ("3亿-10亿", 14, 30_500, 99_000),
    ("1亿-3亿", 31, 10_200, 29_800),
    ("500万-1亿", 270, 510, 9_900),
    ("<500万", 202, 20, 490),
)
STRATEGIC_SHARE_BY_INDUSTRY = {
    "LED": 35,
    "AERO": 25,
    "EQUIP": 45,
    "BIO": 25,
    "NEWMAT": 30,
    "ENV": 21,
    "IT": 22,
    "SERV": 8,
}  # sums to 211
YEARS = tuple(range(2006, 2016))
YEAR_WEIGHTS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
PARK_SHARE = 0.55  # share of tech SMEs located in a park in 2010 (the plan's 2015 target is 80%)
#: SMEs in the district's enterprise registry at ×1: 520 tech SMEs are 12.4% of them (DIGEST.md).
DISTRICT_SMES = 4190
#: Fictitious credit codes have 31⁴ serials and the writers take theirs from 900,000 up (rows
#: that exist only to be rejected); ×N uses ≈ 4,193·N below that, so ×214 is the most that fits.
MAX_SCALE = 200
#: Industries of the registry-only firms: traditional ones plus equipment and IT.
ORDINARY_INDUSTRIES: tuple[str, ...] = (*(i.key for i in cat.TRADITIONAL), "EQUIP", "IT")
RESIDENTIAL_STREETS_ONLY: tuple[str, ...] = tuple(cat.RESIDENTIAL_STREETS)
#: Registry-only SMEs are registered in streets or (5 of 16 codes) in the function zones
#: (经济功能区) the parks lie in; park membership itself comes only from the tech-SME list.
REGISTRY_STREETS: tuple[str, ...] = (*cat.RESIDENTIAL_STREETS, *(c for c in cat.STREETS if c[6] != "0"))


@dataclass
class Person:
    key: str
    name: str
    gender: str
    birth_year: int
    org: str  # truth id of the affiliation
    industry: str
    title: str
    roles: set[str] = field(default_factory=set)


@dataclass
class Org:
    id: str  # truth id == graph id where the graph id is deterministic
    label: str
    name: str
    kind: str = ""
    credit_code: str = ""
    industry: str = ""  # Dongli industry key
    district: str = cat.DONGLI_CODE
    street: str = ""
    park: str = ""
    tech_sme: bool = False
    band: str = ""
    revenue_wan: float = 0.0
    assets_wan: float = 0.0
    rd_wan: float = 0.0
    employees: int = 0
    college: int = 0
    rd_staff: int = 0
    high_tech: bool = False
    founded: str = ""
    legal_form: str = ""
    gbt: str = ""
    core: str = ""
    trade: str = ""
    bracket_region: bool = False
    level: str = ""
    name_en: str = ""
    lens: str = ""
    short: tuple[str, ...] = ()
    parent: str = ""
    strengths: dict[str, float] = field(default_factory=dict)
    staff: list[str] = field(default_factory=list)  # person keys
    alliances: list[str] = field(default_factory=list)
    partners: dict[str, int] = field(default_factory=dict)  # partner id -> first year


@dataclass
class Alliance:
    id: str
    name: str
    kind: str  # 产学研联合体 / 产业技术创新战略联盟
    level: str
    industry: str
    members: list[tuple[str, str, int]]  # (org id, role, year joined)


@dataclass
class Patent:
    number: str
    app_number: str
    title: str
    kind: str
    app_date: str
    pub_date: str
    applicants: list[str]
    inventors: list[str]
    ipc: list[str]
    status: str
    abstract: str
    industry: str

    @property
    def year(self) -> int:
        return int(self.app_date[:4])


@dataclass
class Project:
    number: str
    title: str
    program: str
    lead: str
    partners: list[str]
    leader: str
    year: int
    funded: bool
    funding_wan: float
    industry: str


@dataclass
class Transfer:
    number: str
    title: str
    source: str
    target: str
    amount_wan: float
    year: int


@dataclass
class Demand:
    number: str
    title: str
    poster: str
    industry: str
    description: str
    mode: str
    budget_wan: float
    date: str
    status: str
    ipc: list[str]


@dataclass
class Achievement:
    number: str
    title: str
    owners: list[str]
    summary: str
    maturity: str
    industry: str
    patents: list[str]
    year: int


@dataclass
class World:
    scale: int
    seed: int
    orgs: dict[str, Org]
    persons: dict[str, Person]
    alliances: list[Alliance]
    patents: list[Patent]
    projects: list[Project]
    transfers: list[Transfer]
    demands: list[Demand]
    achievements: list[Achievement]
    parks: list[cat.ParkInfo]

    def by_label(self, label: str) -> list[Org]:
        return [o for o in self.orgs.values() if o.label == label]

    @property
    def tech_smes(self) -> list[Org]:
        return [o for o in self.orgs.values() if o.tech_sme]


INDUSTRY_BY_KEY = {i.key: i for i in cat.ALL_INDUSTRIES}


def _rng(seed: int, part: str) -> random.Random:
    return random.Random(f"{seed}:{part}")


def _weighted(rng: random.Random, items: list[str], weights: list[float]) -> str:
    return rng.choices(items, weights=weights, k=1)[0]


class _Names:
    """Invented firm cores and person names (with the collisions real name lists have)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_cores: set[str] = set()
        syll = cat.NAME_SYLLABLES
        self.cores = [a + b for a in syll for b in syll if a != b and a + b not in cat.KNOWN_MARKS]
        rng.shuffle(self.cores)
        self.next = 0
        self.surnames = [s for s, _ in cat.SURNAMES]
        self.surname_weights = [w for _, w in cat.SURNAMES]

    def core(self) -> str:
        if self.next < len(self.cores):
            core = self.cores[self.next]
        else:  # beyond ~1,400 cores (×10 and up): three syllables
            a, b = divmod(self.next - len(self.cores), len(self.cores))
            core = self.cores[b] + cat.NAME_SYLLABLES[a % len(cat.NAME_SYLLABLES)]
        self.next += 1
        return core

    def person(self) -> tuple[str, str]:
        surname = self.rng.choices(self.surnames, weights=self.surname_weights, k=1)[0]
        n = 1 if self.rng.random() < 0.3 else 2
        given = "".join(self.rng.choice(cat.GIVEN_CHARS) for _ in range(n))
        return surname + given, self.rng.choice(("男", "男", "女"))


def _firm_name(core: str, trade: str, form: str, bracket: bool, rng: random.Random) -> str:
    suffix = "科技" if not trade.endswith(("科技", "技术")) and rng.random() < 0.5 else ""
    if bracket:
        return f"{core}{trade}{suffix}（天津）{form}"
    prefix = "天津市" if rng.random() < 0.35 else "天津"
    return f"{prefix}{core}{trade}{suffix}{form}"


def _ordinary_firm(rng: random.Random, names: _Names, code: str, streets: tuple[str, ...]) -> Org:
    """A registered district firm that is not a tech SME: name, code, street and industry only."""
    ind = INDUSTRY_BY_KEY[rng.choice(ORDINARY_INDUSTRIES)]
    core = names.core()
    form = rng.choices(("有限公司", "有限责任公司"), weights=(8, 2))[0]
    name = _firm_name(core, rng.choice(ind.trade_words), form, False, rng)
    return Org(
        f"ent:{code}",
        "Enterprise",
        name,
        kind="企业",
        credit_code=code,
        industry=ind.key,
        street=rng.choice(streets),
        gbt=rng.choice(ind.gbt),
        legal_form=form,
        core=core,
        founded=f"{rng.randint(1990, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    )


def build_world(scale: int, seed: int) -> World:
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be an integer from 1 to {MAX_SCALE}, got {scale}")
    orgs: dict[str, Org] = {}
    persons: dict[str, Person] = {}
    names = _Names(_rng(seed, "names"))
    prng = _rng(seed, "persons")

    def new_person(org: Org, industry: str, title: str, role: str) -> Person:
        name, gender = names.person()
        key = f"P{len(persons) + 1:06d}"
        person = Person(key, name, gender, prng.randint(1955, 1988), org.id, industry, title, {role})
        persons[key] = person
        org.staff.append(key)
        return person

    # --- universities and institutes (real, fixed set) ------------------------------------
    for inst in cat.UNIVERSITIES + cat.INSTITUTES:
        label = inst.label
        oid = f"uni:{inst.key}" if label == "University" else f"inst:{inst.key}"
        org = Org(
            oid,
            label,
            inst.name,
            kind="高校" if label == "University" else "科研院所",
            district=inst.district,
            name_en=inst.name_en,
            lens=inst.lens,
            short=inst.short,
            parent=inst.parent,
            strengths=dict(inst.strengths),
        )
        orgs[oid] = org
        for strength, weight in sorted(inst.strengths.items()):
            for _ in range(max(1, round(weight * 1.5 * math.sqrt(scale)))):
                new_person(org, strength, prng.choice(cat.TITLES[:4]), "expert")

    # --- tech SMEs ------------------------------------------------------------------------
    frng = _rng(seed, "firms")
    firm_serial = 0
    slots: list[str] = []
    for key, n in STRATEGIC_SHARE_BY_INDUSTRY.items():
        slots += [key] * (n * scale)
    total = sum(n for _, n, _, _ in BANDS) * scale
    traditional = [i.key for i in cat.TRADITIONAL]
    slots += [frng.choice(traditional) for _ in range(total - len(slots))]
    bands: list[str] = []
    for band, n, _, _ in BANDS:
        bands += [band] * (n * scale)
    # Bigger firms are a little more often strategic: sort slots by a noisy "strategic first" key.
    frng.shuffle(slots)
    strategic_first = sorted(slots, key=lambda k: (not INDUSTRY_BY_KEY[k].strategic) + frng.random() * 1.6)
    band_ranges = {b: (lo, hi) for b, _, lo, hi in BANDS}
    park_names = [p.name for p in cat.PARKS]
    tech_firms: list[Org] = []
    for band, ind_key in zip(bands, strategic_first, strict=True):
        ind = INDUSTRY_BY_KEY[ind_key]
        core = names.core()
        lo, hi = band_ranges[band]
        revenue = round(math.exp(frng.uniform(math.log(lo), math.log(hi))), 1)
        trade = frng.choice(ind.trade_words)
        form = frng.choices(("有限公司", "股份有限公司", "有限责任公司"), weights=(7, 2, 1))[0]
        bracket = frng.random() < 0.12
        code = fictitious_credit_code(firm_serial)
        firm_serial += 1
        hosting = [p for p in cat.PARKS if ind_key in p.industries and p.kind != "产业化基地"]
        in_park = frng.random() < (PARK_SHARE + (0.15 if ind.strategic else -0.1))
        park = frng.choice(hosting).name if in_park and hosting else ""
        if park == "" and in_park:
            park = frng.choice(park_names[:6])
        street = (
            next(p.street for p in cat.PARKS if p.name == park)
            if park
            else frng.choice(cat.RESIDENTIAL_STREETS)
        )
        employees = max(3, int(revenue / frng.uniform(40, 110)) + frng.randint(2, 20))
        firm = Org(
            f"ent:{code}",
            "Enterprise",
            _firm_name(core, trade, form, bracket, frng),
            kind="科技型中小企业",
            credit_code=code,
            industry=ind_key,
            street=street,
            park=park,
            tech_sme=True,
            band=band,
            revenue_wan=revenue,
            assets_wan=round(revenue * frng.uniform(0.8, 1.9), 1),
            rd_wan=round(revenue * frng.uniform(0.02, 0.08), 1),
            employees=employees,
            college=int(employees * frng.uniform(0.15, 0.45)),
            rd_staff=int(employees * frng.uniform(0.15, 0.35)),
            high_tech=(ind.strategic and frng.random() < 0.45) or frng.random() < 0.08,
            founded=f"{frng.randint(1993, 2009)}-{frng.randint(1, 12):02d}-{frng.randint(1, 28):02d}",
            legal_form=form,
            gbt=frng.choice(ind.gbt),
            core=core,
            trade=trade,
            bracket_region=bracket,
        )
        orgs[firm.id] = firm
        tech_firms.append(firm)
        for _ in range(1 + (band in (">10亿", "3亿-10亿", "1亿-3亿")) + (frng.random() < 0.4)):
            new_person(firm, ind_key, frng.choice(cat.TITLES[3:]), "inventor")
    # Similar-name traps: a few firms reuse another firm's core with a different trade word.
    for i in range(0, len(tech_firms) - 1, 37):
        a, b = tech_firms[i], tech_firms[i + 1]
        if a.industry != b.industry and not b.bracket_region:
            b.core = a.core
            b.name = _firm_name(b.core, b.trade, b.legal_form, False, frng)

    # --- other district firms (registry only) and branches --------------------------------
    for i in range(480 * scale):
        firm = _ordinary_firm(frng, names, fictitious_credit_code(firm_serial), RESIDENTIAL_STREETS_ONLY)
        firm_serial += 1
        if i % 40 == 0 and tech_firms:  # a branch of a tech SME: a distinct entity, never merged
            parent = tech_firms[(i // 40) % len(tech_firms)]
            firm.name = parent.name + "东丽分公司"
            firm.legal_form = "分公司"
        orgs[firm.id] = firm

    # --- service organisations -----------------------------------------------------------
    srng = _rng(seed, "services")
    for i in range(scale):
        code = fictitious_credit_code(firm_serial, category="12")
        firm_serial += 1
        suffix = "" if i == 0 else f"第{i + 1}分中心"
        orgs[f"ppc:{code}"] = Org(
            f"ppc:{code}",
            "ProductivityCenter",
            f"天津市东丽区生产力促进中心{suffix}",
            kind="生产力促进中心",
            credit_code=code,
            street="120110001",
            level="区级",
        )
    for _ in range(2 * scale):
        code = fictitious_credit_code(firm_serial)
        firm_serial += 1
        core = names.core()
        kind = srng.choice(("科技企业孵化器", "科技企业孵化器", "创业苗圃"))
        park = srng.choice(park_names[:4])
        street = next(p.street for p in cat.PARKS if p.name == park)
        orgs[f"incu:{code}"] = Org(
            f"incu:{code}",
            "Incubator",
            f"天津{core}{kind}有限公司",
            kind=kind,
            credit_code=code,
            park=park,
            street=street,
            core=core,
            level=srng.choice(("市级", "区级")),
        )

    # --- the rest of the district's SME register (registry only, ordinary SMEs) ------------
    # Drawn last, from their own stream, so that every entity above keeps its name and code.
    rrng = _rng(seed, "registry")
    enterprises = sum(1 for o in orgs.values() if o.label == "Enterprise")
    for _ in range(DISTRICT_SMES * scale - enterprises):
        firm = _ordinary_firm(rrng, names, fictitious_credit_code(firm_serial), REGISTRY_STREETS)
        firm_serial += 1
        orgs[firm.id] = firm

    alliances = _alliances(scale, seed, orgs, tech_firms)
    _partners(seed, orgs, tech_firms, alliances)
    patents = _patents(scale, seed, orgs, persons, tech_firms, alliances)
    projects = _projects(scale, seed, orgs, tech_firms, persons)
    transfers = _transfers(scale, seed, orgs, tech_firms)
    demands = _demands(scale, seed, tech_firms)
    achievements = _achievements(scale, seed, orgs, patents)
    _roles(seed, orgs, persons)
    return World(
        scale,
        seed,
        orgs,
        persons,
        alliances,
        patents,
        projects,
        transfers,
        demands,
        achievements,
        list(cat.PARKS),
    )


def _fit(inst: Org, industry: str) -> float:
    return inst.strengths.get(industry, 0.0) or (
        0.3 if industry in ("METAL", "AUTO", "HOME") and "EQUIP" in inst.strengths else 0.05
    )


def _alliances(scale: int, seed: int, orgs: dict[str, Org], firms: list[Org]) -> list[Alliance]:
    rng = _rng(seed, "alliances")
    institutions = [o for o in orgs.values() if o.label in ("University", "ResearchInstitute")]
    by_industry: dict[str, list[Org]] = {}
    for f in firms:
        by_industry.setdefault(f.industry, []).append(f)
    strategic = [i for i in cat.INDUSTRIES]
    result: list[Alliance] = []
    used: set[str] = set()
    for n in range(67 * scale):
        ind = strategic[n % len(strategic)] if n < 56 * scale else rng.choice(strategic)
        obj = rng.choice(ind.objects)
        name = f"{ind.name}{obj}产学研联合体"
        k = 2
        while name in used:
            name = f"{ind.name}{obj}产学研联合体（{k}）"
            k += 1
        used.add(name)
        weights = [_fit(i, ind.key) * (2.5 if i.district == cat.DONGLI_CODE else 1.0) for i in institutions]
        chosen = {rng.choices(institutions, weights=weights)[0].id for _ in range(rng.choice((1, 1, 2)))}
        pool = by_industry.get(ind.key, [])
        members = [(i, "成员", 2006 + rng.randint(0, 4)) for i in sorted(chosen)]
        picks = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
        members = [(picks[0].id, "牵头单位", 2006 + rng.randint(0, 4)), *members]
        members += [(f.id, "成员", 2006 + rng.randint(0, 4)) for f in picks[1:]]
        result.append(Alliance(f"alliance:{name}", name, "产学研联合体", "区级", ind.key, members))
    for n in range(8 * scale):
        ind = strategic[n % len(strategic)]
        suffix = "" if n < len(strategic) else f"（第{n // len(strategic) + 1}届）"
        name = f"东丽区{ind.name}产业技术创新战略联盟{suffix}"
        weights = [_fit(i, ind.key) for i in institutions]
        chosen = {rng.choices(institutions, weights=weights)[0].id for _ in range(rng.randint(2, 4))}
        pool = by_industry.get(ind.key, [])
        picks = rng.sample(pool, k=min(len(pool), rng.randint(6, 14)))
        members = [(picks[0].id, "理事长单位", 2009)] + [(i, "副理事长单位", 2009) for i in sorted(chosen)]
        members += [(f.id, "成员", 2009 + rng.randint(0, 1)) for f in picks[1:]]
        result.append(
            Alliance(
                f"alliance:{name}",
                name,
                "产业技术创新战略联盟",
                rng.choice(("市级", "国家级")),
                ind.key,
                members,
            )
        )
    for a in result:
        for oid, _, _ in a.members:
            orgs[oid].alliances.append(a.id)
    return result


def _partners(seed: int, orgs: dict[str, Org], firms: list[Org], alliances: list[Alliance]) -> None:
    rng = _rng(seed, "partners")
    institutions = [o for o in orgs.values() if o.label in ("University", "ResearchInstitute")]
    members = {a.id: {m for m, _, _ in a.members} for a in alliances}
    for firm in firms:
        ind = INDUSTRY_BY_KEY[firm.industry]
        p_collab = (0.45 if ind.strategic else 0.08) + (0.2 if firm.alliances else 0.0)
        if rng.random() > p_collab:
            continue
        shared = {i for a in firm.alliances for i in members[a] if i.startswith(("uni:", "inst:"))}
        weights = [
            _fit(i, firm.industry)
            * (4.0 if i.id in shared else 1.0)
            * (2.5 if i.district == cat.DONGLI_CODE else 1.0)
            for i in institutions
        ]
        for n in range(rng.choices((1, 2, 3), weights=(5, 3, 1))[0]):
            partner = rng.choices(institutions, weights=weights)[0]
            if partner.id in firm.partners:
                continue
            # First partner early; later ones (often alliance partners) start late.
            first = rng.randint(2006, 2011) if n == 0 else rng.randint(2010, 2015)
            firm.partners[partner.id] = first


def _ipc_variants(ind: cat.Industry, rng: random.Random) -> list[str]:
    groups = rng.sample(list(ind.ipc_groups), k=min(len(ind.ipc_groups), rng.choice((1, 1, 2, 3))))
    out = []
    for g in groups:
        if g.endswith("/00") and rng.random() < 0.5:
            g = g[:-2] + rng.choice(("02", "04", "06"))
        out.append(g)
    return out


def _patents(
    scale: int,
    seed: int,
    orgs: dict[str, Org],
    persons: dict[str, Person],
    firms: list[Org],
    alliances: list[Alliance],
) -> list[Patent]:
    rng = _rng(seed, "patents")
    alliance_firms = {a.id: [m for m, _, _ in a.members if m.startswith("ent:")] for a in alliances}
    weights = []
    for f in firms:
        w = {">10亿": 12, "3亿-10亿": 7, "1亿-3亿": 4, "500万-1亿": 1.4, "<500万": 0.5}[f.band]
        weights.append(
            w * (2.0 if INDUSTRY_BY_KEY[f.industry].strategic else 0.8) * (1.5 if f.partners else 1)
        )
    n_valid = 995 * scale
    n_invention = 103 * scale
    n_lapsed = 70 * scale
    owners = rng.choices(firms, weights=weights, k=n_valid + n_lapsed)
    years = rng.choices(YEARS, weights=YEAR_WEIGHTS, k=len(owners))
    patents: list[Patent] = []
    drafts: list[tuple[Org, int, list[str]]] = []
    for firm, year in zip(owners, years, strict=True):
        applicants = [firm.id]
        active = sorted(p for p, y in firm.partners.items() if y <= year)
        if active and rng.random() < 0.55:
            applicants.append(rng.choice(active))
        elif firm.alliances and rng.random() < 0.03:
            peers = sorted({m for a in firm.alliances for m in alliance_firms[a] if m != firm.id})
            if peers:
                applicants.append(rng.choice(peers))
        drafts.append((firm, year, applicants))
    # Invention patents: most likely where a university or institute co-applies.
    scores = [(2.5 if len(a) > 1 else 1.0) * rng.random() for _, _, a in drafts[:n_valid]]
    invention = set(sorted(range(n_valid), key=lambda i: -scores[i])[:n_invention])
    for idx, (firm, year, applicants) in enumerate(drafts):
        ind = INDUSTRY_BY_KEY[firm.industry]
        if idx < n_valid:
            kind = "发明" if idx in invention else ("外观设计" if rng.random() < 0.09 else "实用新型")
            status = "有效"
        else:
            kind = rng.choice(("发明", "实用新型", "实用新型"))
            status = "失效"
        obj = rng.choice(ind.objects)
        title = (
            f"一种{obj}" + rng.choice(("", "及其制备方法", "的控制方法", "装置", "结构", "系统"))
            if kind != "外观设计"
            else f"{obj}（外观）"
        )
        ipc = [] if kind == "外观设计" else _ipc_variants(ind, rng)
        inventors: list[str] = []
        for oid in applicants:
            staff = [s for s in orgs[oid].staff if persons[s].industry in (firm.industry, orgs[oid].industry)]
            staff = staff or orgs[oid].staff
            if staff:
                inventors += rng.sample(staff, k=min(len(staff), rng.randint(1, 2)))
        for key in inventors:
            persons[key].roles.add("inventor")
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        serial = len(patents) + 1
        pub_year = year + (2 if kind == "发明" else 1)
        problem = rng.choice(ind.problems) if ind.problems else "生产效率"
        subject = title[2:] if title.startswith("一种") else title
        abstract = (
            f"本{'发明' if kind == '发明' else '实用新型'}公开了{subject}，"
            f"涉及{ind.name}技术领域，针对{problem}问题，"
            f"通过改进{obj}的结构与工艺参数，提高了产品性能和可靠性。"
        )
        patents.append(
            Patent(
                patent_number(serial, kind),
                application_number(year, serial, kind),
                title,
                kind,
                f"{year}-{month:02d}-{day:02d}",
                f"{pub_year}-{month:02d}-{min(day + 3, 28):02d}",
                applicants,
                inventors,
                ipc,
                status,
                abstract,
                firm.industry,
            )
        )
    return patents


PROGRAMS = (
    "科技型中小企业技术创新基金",
    "天津市科技小巨人成长计划",
    "东丽区科技计划项目",
    "天津市科技支撑计划",
    "天津市应用基础研究计划",
)


def _projects(
    scale: int, seed: int, orgs: dict[str, Org], firms: list[Org], persons: dict[str, Person]
) -> list[Project]:
    rng = _rng(seed, "projects")
    weights = [(2.0 if INDUSTRY_BY_KEY[f.industry].strategic else 1.0) for f in firms]
    leads = rng.choices(firms, weights=weights, k=1100 * scale)
    funded = set(rng.sample(range(len(leads)), k=560 * scale))
    out = []
    for i, firm in enumerate(leads):
        ind = INDUSTRY_BY_KEY[firm.industry]
        partners = sorted(firm.partners)[:1] if firm.partners and rng.random() < 0.4 else []
        leader = firm.staff[0]
        persons[leader].roles.add("leader")
        year = rng.randint(2006, 2010)
        # Only a partner the firm already works with that year (issue #12: a 2008 project
        # naming a partner whose co-patents start in 2014 leaked the future into the past).
        partners = [p for p in partners if firm.partners[p] <= year]
        obj = rng.choice(ind.objects)
        title = f"{obj}" + rng.choice(("关键技术研究", "研发及产业化", "技术开发与示范应用", "工艺优化"))
        out.append(
            Project(
                f"DLKJ{year}{i + 1:05d}",
                title,
                rng.choice(PROGRAMS),
                firm.id,
                partners,
                leader,
                year,
                i in funded,
                round(rng.uniform(10, 300), 1) if i in funded else 0.0,
                firm.industry,
            )
        )
    return out


def _transfers(scale: int, seed: int, orgs: dict[str, Org], firms: list[Org]) -> list[Transfer]:
    rng = _rng(seed, "transfers")
    institutions = [o for o in orgs.values() if o.label in ("University", "ResearchInstitute")]
    pairs: set[tuple[str, str]] = set()
    out: list[Transfer] = []
    while len(out) < 200 * scale:
        target = rng.choice(firms)
        if target.partners and rng.random() < 0.6:
            source = rng.choice(sorted(target.partners))
        elif rng.random() < 0.7:
            weights = [_fit(i, target.industry) for i in institutions]
            source = rng.choices(institutions, weights=weights)[0].id
        else:
            source = rng.choice(firms).id
        if source == target.id or (source, target.id) in pairs:
            continue
        pairs.add((source, target.id))
        ind = INDUSTRY_BY_KEY[target.industry]
        year = rng.randint(2006, 2010)
        # A transfer from a partner is dated no earlier than the partnership starts (no leak
        # of later partners into the years before them; the draws stay as they were).
        year = max(year, target.partners.get(source, year))
        out.append(
            Transfer(
                f"12011{year}{len(out) + 1:06d}",
                f"{rng.choice(ind.objects)}技术",
                source,
                target.id,
                round(rng.uniform(5, 500), 1),
                year,
            )
        )
    return out


MODES = ("技术转让", "委托开发", "合作开发", "技术咨询")


def _demands(scale: int, seed: int, firms: list[Org]) -> list[Demand]:
    rng = _rng(seed, "demands")
    posters = rng.sample(firms, k=min(len(firms), 150 * scale))
    out = []
    for i, firm in enumerate(posters):
        ind = INDUSTRY_BY_KEY[firm.industry]
        obj = rng.choice(ind.objects)
        problem = rng.choice(ind.problems) if ind.problems else "生产效率"
        year = rng.randint(2009, 2011)
        description = (
            f"我公司主要从事{ind.name}领域的{obj}研发与生产，目前在{problem}方面遇到技术瓶颈，"
            f"希望与高校、科研院所合作，共同攻关{obj}的{problem}关键技术，"
            f"实现产品升级。要求合作方具备相关研究基础和中试条件。"
        )
        ipc = sorted({g.split("/")[0] + "/00" for g in rng.sample(list(ind.ipc_groups), k=1)})
        out.append(
            Demand(
                f"XQ{year}{i + 1:05d}",
                f"{obj}{problem}技术需求",
                firm.id,
                ind.key,
                description,
                rng.choice(MODES),
                round(rng.uniform(10, 200), 0),
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(("征集中", "征集中", "已对接")),
                ipc,
            )
        )
    return out


def _achievements(scale: int, seed: int, orgs: dict[str, Org], patents: list[Patent]) -> list[Achievement]:
    rng = _rng(seed, "achievements")
    by_owner: dict[str, list[Patent]] = {}
    for p in patents:
        if p.status == "有效":
            for a in p.applicants[1:]:
                if a.startswith(("uni:", "inst:")):
                    by_owner.setdefault(a, []).append(p)
    owners = sorted(by_owner)
    out: list[Achievement] = []
    for i in range(120 * scale):
        if not owners:
            break
        owner = rng.choice(owners)
        pats = rng.sample(by_owner[owner], k=min(len(by_owner[owner]), rng.randint(1, 2)))
        ind = INDUSTRY_BY_KEY[pats[0].industry]
        obj = rng.choice(ind.objects)
        summary = (
            f"该成果面向{ind.name}产业需求，研制了新型{obj}，解决了"
            f"{rng.choice(ind.problems) if ind.problems else '工艺'}等关键问题，"
            f"已申请专利{len(pats)}项，可通过技术转让或合作开发方式实现产业化。"
        )
        out.append(
            Achievement(
                f"CG{2008 + i % 8}{i + 1:05d}",
                f"{obj}关键技术",
                [owner],
                summary,
                rng.choice(("实验室阶段", "小试", "中试", "可产业化")),
                ind.key,
                [p.number for p in pats],
                2008 + i % 8,
            )
        )
    return out


def _roles(seed: int, orgs: dict[str, Org], persons: dict[str, Person]) -> None:
    rng = _rng(seed, "roles")
    for org in orgs.values():
        if not org.staff:
            continue
        if (org.label == "Enterprise" and org.band in (">10亿", "3亿-10亿")) or rng.random() < 0.05:
            persons[org.staff[0]].roles.add("mentor")
        if org.label != "Enterprise" and rng.random() < 0.3:
            persons[org.staff[0]].roles.add("industry_leader")
