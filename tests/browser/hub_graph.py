"""A firm with thousands of neighbours: what a province-scale graph (×100) holds around its
biggest patent holders. Built through the normal store API (a ChangeSet), never as JSON.

Used by the browser test of the grouped neighbourhood and by ``bench.web_layout``.
"""

from __future__ import annotations

from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R

HUB_ID = "ent:91120110HUB0000001"
HUB_NAME = "天津枢纽光电集团有限公司"
PARK_ID = "park:hub-park"
UNIVERSITY_ID = "uni:hub-university"
#: People affiliated with the hub: a small group the page names one by one.
PEOPLE = 3


def hub_changes(patents: int = 5000) -> ChangeSet:
    """The hub firm, ``patents`` patents it applied for, three employees, its park and a
    university that transferred a technology to it: ``patents + 5`` neighbours in four groups."""
    cs = ChangeSet()
    cs.add_node(L.ENTERPRISE, {"id": HUB_ID, "name": HUB_NAME, "sources": ["hub_fixture"]})
    for i in range(patents):
        pid = f"patent:CNHUB{i:06d}A"
        cs.add_node(L.PATENT, {"id": pid, "number": f"CNHUB{i:06d}A", "title": f"一种发光器件{i}"})
        cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, HUB_ID), (L.PATENT, pid), {"order": 1})
    for i in range(PEOPLE):
        person = f"person:hub{i}"
        cs.add_node(L.PERSON, {"id": person, "name": f"工程师{i}"})
        cs.add_relationship(R.AFFILIATED_WITH, (L.PERSON, person), (L.ENTERPRISE, HUB_ID))
    cs.add_node(L.PARK, {"id": PARK_ID, "name": "东丽光电产业园"})
    cs.add_relationship(R.LOCATED_IN, (L.ENTERPRISE, HUB_ID), (L.PARK, PARK_ID))
    cs.add_node(L.UNIVERSITY, {"id": UNIVERSITY_ID, "name": "天津理工示范大学"})
    cs.add_relationship(
        R.APPLIED_FOR, (L.UNIVERSITY, UNIVERSITY_ID), (L.PATENT, "patent:CNHUB000000A"), {"order": 2}
    )
    cs.add_relationship(
        R.TRANSFERRED_TO, (L.UNIVERSITY, UNIVERSITY_ID), (L.ENTERPRISE, HUB_ID), {"year": 2014}
    )
    return cs
