"""The InnoGraph data model: labels, relationship types and the properties each may carry.

The model is the allow-list. Every label, relationship type and property key that reaches a
store — and so a Cypher statement — is checked against it first, which is what lets the
Cypher in ``cypher/`` stay free of string formatting (labels and types go in as parameters to
Neo4j 5.26's dynamic ``$(...)`` syntax, and only after they have been validated here).

Conventions follow Neo4j's: PascalCase labels, UPPER_SNAKE relationship types, camelCase
property keys. Every node carries the extra label ``Entity`` (one uniqueness constraint on
``Entity.id`` makes ids global), and every organisation also carries ``Organization``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final


class NodeLabel(StrEnum):
    ENTERPRISE = "Enterprise"  # 科技型中小企业
    UNIVERSITY = "University"  # 高校
    RESEARCH_INSTITUTE = "ResearchInstitute"  # 科研院所
    INCUBATOR = "Incubator"  # 孵化器 / 加速器 / 创业苗圃
    PRODUCTIVITY_CENTER = "ProductivityCenter"  # 生产力促进中心
    INTERMEDIARY = "Intermediary"  # 科技中介, 知识产权, 金融, 投资机构
    PARK = "Park"  # 园区, 产业化基地
    REGION = "Region"  # 行政区划
    ALLIANCE = "Alliance"  # 产学研联合体, 产业技术创新战略联盟
    PATENT = "Patent"
    IPC = "IPC"
    INDUSTRY = "Industry"  # GB/T 4754-2017 and 战略性新兴产业
    PERSON = "Person"  # 人才: experts, inventors, leaders, mentors
    TECH_DEMAND = "TechDemand"  # 技术需求
    TECH_ACHIEVEMENT = "TechAchievement"  # 科技成果
    PROJECT = "Project"  # funded S&T project
    REVIEW_DECISION = "ReviewDecision"  # 待审核链接: a pair a person accepts or rejects (ingest/review.py)
    LIST_EDITION = "ListEdition"  # one year's edition of a recognition list (名单), e.g. 2011 科技型中小企业
    ANNUAL_REPORT = "AnnualReport"  # one organisation's figures for one year (年度数据)


class RelType(StrEnum):
    APPLIED_FOR = "APPLIED_FOR"
    INVENTED = "INVENTED"
    CLASSIFIED_AS = "CLASSIFIED_AS"
    SUBCLASS_OF = "SUBCLASS_OF"
    IN_INDUSTRY = "IN_INDUSTRY"
    LOCATED_IN = "LOCATED_IN"
    IN_REGION = "IN_REGION"
    PART_OF = "PART_OF"
    INCUBATED_BY = "INCUBATED_BY"
    MEMBER_OF = "MEMBER_OF"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    POSTED = "POSTED"
    OFFERS = "OFFERS"
    PROTECTED_BY = "PROTECTED_BY"
    UNDERTOOK = "UNDERTOOK"
    TRANSFERRED_TO = "TRANSFERRED_TO"
    BRANCH_OF = "BRANCH_OF"  # 分公司 / 支行 / 分院 … → the organisation it belongs to
    SUBSIDIARY_OF = "SUBSIDIARY_OF"  # 海航航空技术（天津）有限公司 → 海航航空技术有限公司
    LISTED_IN = "LISTED_IN"  # organisation -> the yearly list edition that names it
    REPORTED = "REPORTED"  # organisation -> its figures for one year


#: Extra labels every node (``Entity``) or every organisation (``Organization``) carries.
ENTITY_LABEL: Final = "Entity"
ORGANIZATION_LABEL: Final = "Organization"

ORGANIZATION_LABELS: Final[frozenset[NodeLabel]] = frozenset(
    {
        NodeLabel.ENTERPRISE,
        NodeLabel.UNIVERSITY,
        NodeLabel.RESEARCH_INSTITUTE,
        NodeLabel.INCUBATOR,
        NodeLabel.PRODUCTIVITY_CENTER,
        NodeLabel.INTERMEDIARY,
    }
)

#: Property value types a store accepts. Neo4j stores only primitives and homogeneous lists
#: of them, so the model allows nothing else (dates are ISO-8601 strings, money is yuan).
PropType = str  # one of: "str", "int", "float", "bool", "str[]", "int[]", "float[]"

#: Lists merged by set union instead of overwritten: provenance and aliases accumulate
#: across sources and runs, so a second source never erases what the first one said.
UNION_PROPERTIES: Final[tuple[str, ...]] = ("aliases", "sources", "records", "ingestRuns")

MAX_ID_CHARS: Final = 200
MAX_STRING_CHARS: Final = 20_000
MAX_LIST_ITEMS: Final = 5_000

_PROVENANCE: Final[dict[str, PropType]] = {
    "sources": "str[]",  # source names, e.g. "enterprise_registry"
    "records": "str[]",  # "file#row" locators of the input records
    "ingestRuns": "str[]",  # ids of the ingest runs that wrote this
}

_NAMED: Final[dict[str, PropType]] = {
    "name": "str",
    "aliases": "str[]",
    "nameEn": "str",
    "pinyin": "str",
    "searchText": "str",  # normalised name + aliases + pinyin + English, for search
}

_ORG: Final[dict[str, PropType]] = {
    **_NAMED,
    "regionCode": "str",
    "address": "str",
    "city": "str",
    "founded": "str",
    "level": "str",  # 国家级 / 市级 / 区级 where it applies
    "kind": "str",
    "description": "str",
    "expertise": "str",
}

_WORK: Final[dict[str, PropType]] = {
    "title": "str",
    "name": "str",
    "searchText": "str",
    "description": "str",
    "abstract": "str",
    "ipcCodes": "str[]",
    "industryCodes": "str[]",
    "keywords": "str[]",
    "year": "int",
}

NODE_PROPERTIES: Final[dict[NodeLabel, dict[str, PropType]]] = {
    NodeLabel.ENTERPRISE: {
        **_ORG,
        "creditCode": "str",  # 统一社会信用代码 (GB 32100-2015)
        "legalForm": "str",
        "techSme": "bool",  # recognised 科技型中小企业
        "highTech": "bool",  # 高新技术企业
        "revenue": "float",  # yuan, latest year
        "revenueYear": "int",
        "revenueYears": "int[]",
        "revenueSeries": "float[]",
        "assets": "float",
        "rdSpend": "float",
        "taxes": "float",
        "financing": "float",
        "employees": "int",
        "collegeStaff": "int",
        "rdStaff": "int",
        "listed": "bool",
        "industryCode": "str",  # GB/T 4754 class of main business
    },
    NodeLabel.UNIVERSITY: {**_ORG, "moeCode": "str", "department": "str", "schoolLevel": "str"},
    NodeLabel.RESEARCH_INSTITUTE: {**_ORG, "parentOrg": "str"},
    NodeLabel.INCUBATOR: dict(_ORG),
    NodeLabel.PRODUCTIVITY_CENTER: dict(_ORG),
    NodeLabel.INTERMEDIARY: dict(_ORG),
    NodeLabel.PARK: {**_ORG},
    NodeLabel.REGION: {**_NAMED, "code": "str", "level": "str", "parentCode": "str"},
    NodeLabel.ALLIANCE: {**_ORG, "memberCount": "int"},
    NodeLabel.PATENT: {
        **_WORK,
        "number": "str",
        "kind": "str",  # 发明 / 实用新型 / 外观设计
        "status": "str",  # 有效 / 失效 / 审中
        "jurisdiction": "str",
        "applicationNumber": "str",
        "applicationDate": "str",
        "publicationDate": "str",
        "grantDate": "str",
        "applicationYear": "int",
        "citedCount": "int",
    },
    NodeLabel.IPC: {"code": "str", "level": "str", "name": "str", "searchText": "str"},
    NodeLabel.INDUSTRY: {
        "code": "str",
        "scheme": "str",  # GBT4754 / SEI
        "level": "str",
        "name": "str",
        "searchText": "str",
        "description": "str",
        "keywords": "str[]",
    },
    NodeLabel.PERSON: {
        **_NAMED,
        "gender": "str",
        "birthYear": "int",
        "title": "str",  # 职称
        "roles": "str[]",  # expert / inventor / leader / mentor
        "field": "str",
        "expertise": "str",
        "ipcCodes": "str[]",
    },
    NodeLabel.TECH_DEMAND: {
        **_WORK,
        "budget": "float",
        "mode": "str",  # 技术转让 / 委托开发 / 合作开发 / 技术咨询
        "status": "str",  # open / closed
        "postedDate": "str",
        "owner": "str",  # id of the API key that posted it (api/routes/demands.py); never shown
        "requestDigest": "str",  # digest of the POST that made it under an Idempotency-Key
    },
    NodeLabel.TECH_ACHIEVEMENT: {**_WORK, "maturity": "str", "field": "str"},
    NodeLabel.PROJECT: {
        **_WORK,
        "program": "str",
        "funding": "float",
        "status": "str",
        "startDate": "str",
        "endDate": "str",
    },
    # One pair of entities an ingest could not decide on: ``left`` is the entity the mention
    # became, ``right`` the candidate it may be. Every later ingest applies the decision.
    NodeLabel.REVIEW_DECISION: {
        "name": "str",  # "left ↔ right", for lists
        "status": "str",  # pending / accepted / rejected
        "leftId": "str",
        "leftName": "str",
        "rightId": "str",
        "rightName": "str",
        "targetLabel": "str",  # the label both entities carry
        "score": "float",
        "evidence": "str",  # the resolver's evidence, JSON
        "decidedBy": "str",  # who decided: api:key:<key id> or cli:<user>
        "decidedAt": "str",  # ISO-8601 UTC
        "note": "str",
    },
    # Dated facts (docs/PLAN_OVER_TIME.md): a list edition is (kind, year); membership in it is a
    # LISTED_IN relationship, so a later edition that omits a firm ends its membership for that
    # year while the earlier edition — and so the history — stays.
    NodeLabel.LIST_EDITION: {"kind": "str", "year": "int", "name": "str"},
    NodeLabel.ANNUAL_REPORT: {
        "year": "int",
        "revenue": "float",  # yuan
        "assets": "float",
        "rdSpend": "float",
        "employees": "int",
        "rdStaff": "int",
    },
}
for _props in NODE_PROPERTIES.values():
    _props.update(_PROVENANCE)
    _props["id"] = "str"


@dataclass(frozen=True)
class RelSpec:
    """Which labels a relationship type may connect, and the properties it may carry."""

    start: frozenset[NodeLabel]
    end: frozenset[NodeLabel]
    properties: dict[str, PropType] = field(default_factory=dict)


_ORGS = ORGANIZATION_LABELS
_ORGS_AND_PEOPLE = ORGANIZATION_LABELS | {NodeLabel.PERSON}
_WORKS = frozenset({NodeLabel.PATENT, NodeLabel.TECH_DEMAND, NodeLabel.TECH_ACHIEVEMENT, NodeLabel.PROJECT})
_PERIOD: Final[dict[str, PropType]] = {"from": "str", "to": "str", "role": "str"}

REL_SPECS: Final[dict[RelType, RelSpec]] = {
    RelType.APPLIED_FOR: RelSpec(_ORGS_AND_PEOPLE, frozenset({NodeLabel.PATENT}), {"order": "int"}),
    RelType.INVENTED: RelSpec(frozenset({NodeLabel.PERSON}), frozenset({NodeLabel.PATENT}), {"order": "int"}),
    RelType.CLASSIFIED_AS: RelSpec(
        _WORKS | {NodeLabel.PERSON}, frozenset({NodeLabel.IPC}), {"primary": "bool"}
    ),
    RelType.SUBCLASS_OF: RelSpec(
        frozenset({NodeLabel.IPC, NodeLabel.INDUSTRY}), frozenset({NodeLabel.IPC, NodeLabel.INDUSTRY})
    ),
    RelType.IN_INDUSTRY: RelSpec(
        _ORGS | _WORKS | {NodeLabel.IPC, NodeLabel.PARK, NodeLabel.ALLIANCE},
        frozenset({NodeLabel.INDUSTRY}),
        {"basis": "str", "weight": "float"},
    ),
    RelType.LOCATED_IN: RelSpec(_ORGS, frozenset({NodeLabel.PARK}), {"from": "str"}),
    RelType.IN_REGION: RelSpec(_ORGS | {NodeLabel.PARK, NodeLabel.ALLIANCE}, frozenset({NodeLabel.REGION})),
    RelType.PART_OF: RelSpec(
        frozenset({NodeLabel.REGION, NodeLabel.RESEARCH_INSTITUTE, NodeLabel.PARK}),
        frozenset({NodeLabel.REGION, NodeLabel.UNIVERSITY, NodeLabel.RESEARCH_INSTITUTE, NodeLabel.PARK}),
    ),
    RelType.INCUBATED_BY: RelSpec(
        frozenset({NodeLabel.ENTERPRISE}), frozenset({NodeLabel.INCUBATOR}), _PERIOD
    ),
    RelType.MEMBER_OF: RelSpec(
        _ORGS_AND_PEOPLE, frozenset({NodeLabel.ALLIANCE}), {"role": "str", "from": "str"}
    ),
    RelType.AFFILIATED_WITH: RelSpec(frozenset({NodeLabel.PERSON}), _ORGS | {NodeLabel.ALLIANCE}, _PERIOD),
    RelType.POSTED: RelSpec(_ORGS_AND_PEOPLE, frozenset({NodeLabel.TECH_DEMAND}), {"date": "str"}),
    RelType.OFFERS: RelSpec(_ORGS_AND_PEOPLE, frozenset({NodeLabel.TECH_ACHIEVEMENT})),
    RelType.PROTECTED_BY: RelSpec(frozenset({NodeLabel.TECH_ACHIEVEMENT}), frozenset({NodeLabel.PATENT})),
    RelType.UNDERTOOK: RelSpec(_ORGS_AND_PEOPLE, frozenset({NodeLabel.PROJECT}), {"role": "str"}),
    # 技术转让: a technology transfer from a holder (university, institute, firm) to a firm.
    RelType.TRANSFERRED_TO: RelSpec(
        _ORGS_AND_PEOPLE,
        frozenset({NodeLabel.ENTERPRISE}),
        {"year": "int", "amount": "float", "title": "str"},
    ),
    # Found from the names by ingest (ingest/hierarchy.py); ``rule`` says which name rule.
    RelType.BRANCH_OF: RelSpec(_ORGS, _ORGS, {"rule": "str"}),
    RelType.SUBSIDIARY_OF: RelSpec(_ORGS, _ORGS, {"rule": "str"}),
    RelType.LISTED_IN: RelSpec(
        _ORGS | {NodeLabel.PARK}, frozenset({NodeLabel.LIST_EDITION}), {"year": "int", "level": "str"}
    ),
    RelType.REPORTED: RelSpec(_ORGS, frozenset({NodeLabel.ANNUAL_REPORT}), {"year": "int"}),
}
#: How an ingest linked a mention to this relationship's entity (ingest/resolve.py): the
#: resolver's status (exact / linked / review / new), its score and its evidence as JSON.
_LINK_EVIDENCE: Final[dict[str, PropType]] = {
    "linkStatus": "str",
    "linkScore": "float",
    "linkEvidence": "str",
}
for _spec in REL_SPECS.values():
    _spec.properties.update(_PROVENANCE)
    _spec.properties.update(_LINK_EVIDENCE)

#: Id prefixes keep ids unique across labels, so ``GET /entities/{id}`` needs no label.
ID_PREFIX: Final[dict[NodeLabel, str]] = {
    NodeLabel.ENTERPRISE: "ent",
    NodeLabel.UNIVERSITY: "uni",
    NodeLabel.RESEARCH_INSTITUTE: "inst",
    NodeLabel.INCUBATOR: "incu",
    NodeLabel.PRODUCTIVITY_CENTER: "ppc",
    NodeLabel.INTERMEDIARY: "agency",
    NodeLabel.PARK: "park",
    NodeLabel.REGION: "region",
    NodeLabel.ALLIANCE: "alliance",
    NodeLabel.PATENT: "patent",
    NodeLabel.IPC: "ipc",
    NodeLabel.INDUSTRY: "industry",
    NodeLabel.PERSON: "person",
    NodeLabel.TECH_DEMAND: "demand",
    NodeLabel.TECH_ACHIEVEMENT: "achievement",
    NodeLabel.PROJECT: "project",
    NodeLabel.REVIEW_DECISION: "review",
    NodeLabel.LIST_EDITION: "list",
    NodeLabel.ANNUAL_REPORT: "annual",
}

#: The figures an ``AnnualReport`` carries besides its year and provenance.
ANNUAL_FIGURES: Final[tuple[str, ...]] = ("revenue", "assets", "rdSpend", "employees", "rdStaff")

#: The yearly lists a ``LIST_EDITION`` can be (its ``kind``).
LIST_KINDS: Final[dict[str, str]] = {
    "techSme": "科技型中小企业",
    "highTech": "高新技术企业",
    "littleGiant": "科技小巨人企业",
    "incubator": "科技企业孵化器",
    "park": "入园企业",
}


def make_id(label: NodeLabel, key: str) -> str:
    """The node id for ``key`` under ``label``: ``"ent:911201...``, ``"ipc:H01L33/00"``."""
    return f"{ID_PREFIX[label]}:{key}"


def labels_for(label: NodeLabel) -> list[str]:
    """All labels a node of ``label`` carries besides ``Entity``."""
    return [label.value, ORGANIZATION_LABEL] if label in ORGANIZATION_LABELS else [label.value]


def primary_label(labels: object) -> NodeLabel:
    """The model label among a node's stored labels (ignores ``Entity`` / ``Organization``)."""
    for name in labels:  # type: ignore[attr-defined]
        if name in NodeLabel.__members__.values():
            return NodeLabel(name)
    raise ValueError(f"no model label among {labels!r}")


# --- Field-level policy: what only analysts and above may see -------------------------------
#: Confidential node properties (firms' financial and staff figures, from statistical returns):
#: the API shows them to analysts and above only (api.schemas filters every node it returns).
SENSITIVE_NODE_PROPERTIES: Final[frozenset[str]] = frozenset(
    {
        "revenue",
        "revenueYear",
        "revenueYears",
        "revenueSeries",
        "assets",
        "rdSpend",
        "taxes",
        "financing",
        "employees",
        "collegeStaff",
        "rdStaff",
    }
)
#: Confidential relationship properties, per type (a technology transfer's price).
SENSITIVE_REL_PROPERTIES: Final[dict[RelType, frozenset[str]]] = {
    RelType.TRANSFERRED_TO: frozenset({"amount"}),
}
#: Values the analyses derive from the figures above, named as the API returns them: they
#: would give a firm's revenue back (years to the 1亿元 threshold at its growth rate).
SENSITIVE_DERIVED_FIELDS: Final[frozenset[str]] = frozenset({"yearsToThreshold", "years_to_threshold"})
