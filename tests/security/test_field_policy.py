"""Field-level policy (issue #16, finding 5): the model's sensitive fields never reach readers.

Before the fix ``…/neighbors?rel_type=TRANSFERRED_TO`` showed a transfer's ``amount`` and the
monitor gave readers ``yearsToThreshold`` and revenue-based reason texts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from api.security import Role
from graph.changeset import ChangeSet
from graph.model import SENSITIVE_DERIVED_FIELDS, SENSITIVE_NODE_PROPERTIES, SENSITIVE_REL_PROPERTIES
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore
from tests.security.harness import api_over, json_reads

#: A firm's figure inside a text: revenue in 万元, a share or growth rate, years to the threshold.
MONEY = re.compile(r"\d[\d,]*万元|\d+%|约\d+(\.\d+)?年")


def _extra() -> ChangeSet:
    cs = ChangeSet()
    cs.add_node(
        L.ENTERPRISE,
        {
            "id": "ent:G",
            "name": "天津成长科技有限公司",
            "techSme": True,
            "revenue": 8.0e7,
            "employees": 40,
            "revenueYears": [2012, 2014],
            "revenueSeries": [4.0e7, 8.0e7],
        },
    )
    cs.add_relationship(
        R.TRANSFERRED_TO,
        (L.UNIVERSITY, "uni:4112010056"),
        (L.ENTERPRISE, "ent:A"),
        {"year": 2014, "amount": 3.5e6, "title": "LED封装技术"},
    )
    return cs


def leaks(body: Any, path: str = "") -> set[str]:
    """Every sensitive field shown anywhere in a JSON body, as ``path: field``."""
    found: set[str] = set()
    if isinstance(body, dict):
        if isinstance(body.get("properties"), dict):
            hidden = set(SENSITIVE_NODE_PROPERTIES)
            rel_type = body.get("type")
            for rel, props in SENSITIVE_REL_PROPERTIES.items():
                if rel_type == rel.value:
                    hidden |= props
            found |= {f"{path}.properties: {k}" for k in body["properties"] if k in hidden}
        for key, value in body.items():
            if key in SENSITIVE_DERIVED_FIELDS and value is not None:
                found.add(f"{path}: {key}")
            if key == "reasons" and isinstance(value, list):
                found |= {f"{path}: reason {r['text']}" for r in value if MONEY.search(str(r.get("text")))}
            found |= leaks(value, f"{path}.{key}")
    elif isinstance(body, list):
        for item in body:
            found |= leaks(item, path)
    return found


def test_no_route_shows_a_sensitive_field_to_readers(embedded_store: GraphStore, tmp_path: Path) -> None:
    with api_over(embedded_store, tmp_path) as api:
        embedded_store.apply(_extra())
        seen_by_analyst: set[str] = set()
        for op, role, body in json_reads(api, (None, Role.READER, Role.ANALYST), q="天津"):
            found = leaks(body)
            if role is None or role < Role.ANALYST:
                assert not found, f"{op.id} showed {sorted(found)} to {role}"
            else:
                seen_by_analyst |= {f.rsplit(": ", 1)[-1].split(" ")[0] for f in found}
        # Not vacuous: the analyst sees each kind of field somewhere.
        assert {"amount", "revenue", "yearsToThreshold", "reason"} <= seen_by_analyst, seen_by_analyst
