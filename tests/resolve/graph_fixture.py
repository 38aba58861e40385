"""A small graph of organisations and inventors that the store-backed resolver tests share."""

from __future__ import annotations

from graph.changeset import ChangeSet
from graph.model import NodeLabel, RelType

L = NodeLabel
CREDIT_CODE = "91120110MA05XXXX1A"


def resolver_graph() -> ChangeSet:
    cs = ChangeSet()
    cs.add_node(
        L.UNIVERSITY,
        {"id": "uni:tju", "name": "天津大学", "aliases": ["天大"], "nameEn": "Tianjin University"},
    )
    cs.add_node(L.UNIVERSITY, {"id": "uni:buaa", "name": "北京航空航天大学", "aliases": ["北航"]})
    cs.add_node(L.ENTERPRISE, {"id": "ent:hx", "name": "天津华信科技有限公司", "creditCode": CREDIT_CODE})
    cs.add_node(L.ENTERPRISE, {"id": "ent:hxdz", "name": "天津华信电子有限公司"})
    cs.add_node(L.ENTERPRISE, {"id": "ent:hxdl", "name": "天津华信科技有限公司东丽分公司"})
    cs.add_node(L.PRODUCTIVITY_CENTER, {"id": "ppc:dl", "name": "天津市东丽区生产力促进中心"})
    cs.add_node(L.PATENT, {"id": "patent:CN1", "number": "CN1", "ipcCodes": ["H01L33/00", "F21K9/00"]})
    for pid, name in (("person:zw", "张伟"), ("person:lq", "李强")):
        cs.add_node(L.PERSON, {"id": pid, "name": name})
        cs.add_relationship(RelType.INVENTED, (L.PERSON, pid), (L.PATENT, "patent:CN1"))
    cs.add_node(L.PERSON, {"id": "person:zw2", "name": "张伟"})
    cs.add_relationship(RelType.AFFILIATED_WITH, (L.PERSON, "person:zw"), (L.UNIVERSITY, "uni:tju"))
    cs.add_relationship(RelType.AFFILIATED_WITH, (L.PERSON, "person:zw2"), (L.ENTERPRISE, "ent:hx"))
    return cs
