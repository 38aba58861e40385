"""A hand-built graph with planted industry clusters, for tests and as the benchmark's fallback.

Each planted cluster has its own strategic emerging industry (an SEI node that a few IPC main
groups map to, like CNIPA's concordance), its own alliance and park, and firms whose patents
fall mostly (``1 - noise``) in the cluster's IPC groups. The truth is returned alongside.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R

SEI = [
    ("1.2", "电子核心产业"),
    ("2.1", "智能制造装备产业"),
    ("4.1", "生物医药产业"),
    ("6.3", "太阳能产业"),
    ("7.2", "先进环保产业"),
    ("3.6", "前沿新材料"),
    ("2.2", "航空装备产业"),
    ("1.5", "人工智能"),
]
SUBCLASSES = ["H01L", "B23K", "A61K", "H02S", "B01D", "C08K", "B64C", "G06N"]


@dataclass
class Planted:
    changes: ChangeSet
    truth: dict[str, int] = field(default_factory=dict)  # firm id → planted cluster


def planted_clusters(
    clusters: int = 4,
    firms_per_cluster: int = 12,
    *,
    patents_per_firm: int = 4,
    noise: float = 0.1,
    seed: int = 7,
    with_reference: bool = True,
) -> Planted:
    rng = random.Random(seed)
    cs = ChangeSet()
    out = Planted(cs)
    for k in range(clusters):
        code, name = SEI[k % len(SEI)]
        sub = SUBCLASSES[k % len(SUBCLASSES)] if k < len(SUBCLASSES) else f"G{k:02d}Q"[:4]
        groups = [f"{sub}{10 * k + g + 1}/00" for g in range(3)]
        sei_id = f"industry:SEI-{code}-{k}"
        if with_reference:
            cs.add_node(L.INDUSTRY, {"id": sei_id, "code": code, "scheme": "SEI", "name": name})
            for g in groups:
                ipc_id = f"ipc:{g}"
                cs.add_node(L.IPC, {"id": ipc_id, "code": g, "level": "main group", "name": f"{name}技术{g}"})
                cs.add_relationship(R.IN_INDUSTRY, (L.IPC, ipc_id), (L.INDUSTRY, sei_id))
        cs.add_node(L.ALLIANCE, {"id": f"alliance:{k}", "name": f"{name}产业技术创新战略联盟"})
        cs.add_node(L.PARK, {"id": f"park:{k}", "name": f"园区{k}"})
        for i in range(firms_per_cluster):
            firm = f"ent:{k:02d}{i:03d}"
            out.truth[firm] = k
            revenue = rng.choice([3e6, 2e7, 6e7, 1.5e8])
            cs.add_node(
                L.ENTERPRISE,
                {
                    "id": firm,
                    "name": f"企业{k}-{i}",
                    "techSme": True,
                    "revenue": revenue,
                    "employees": 20 + i,
                    "rdStaff": 5,
                    "revenueYears": [2012, 2013],
                    "revenueSeries": [revenue / 1.2, revenue],
                },
            )
            if i % 3 == 0:
                cs.add_relationship(R.MEMBER_OF, (L.ENTERPRISE, firm), (L.ALLIANCE, f"alliance:{k}"))
            cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, firm), (L.PARK, f"park:{k}"))
            for p in range(patents_per_firm):
                pid = f"patent:{k:02d}{i:03d}{p}"
                if rng.random() < noise:
                    other = rng.randrange(clusters)
                    sub_o = SUBCLASSES[other % len(SUBCLASSES)]
                    code_p = f"{sub_o}{10 * other + rng.randrange(3) + 1}/{rng.randrange(1, 20):02d}"
                else:
                    code_p = f"{rng.choice(groups)[:-3]}/{rng.randrange(1, 20):02d}"
                cs.add_node(
                    L.PATENT,
                    {
                        "id": pid,
                        "title": f"专利{pid}",
                        "ipcCodes": [code_p],
                        "kind": "发明" if p % 2 == 0 else "实用新型",
                        "applicationYear": 2010 + p,
                    },
                )
                cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, firm), (L.PATENT, pid))
    return out
