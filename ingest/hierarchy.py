"""Branches and subsidiaries, read from the names: each is its own node, linked to its parent.

A branch (``天津华信科技有限公司东丽分公司``, ``上海浦东发展银行股份有限公司天津浦安支行``) normalises
to ``parent(branch part)`` (see :func:`ingest.names.branch_of`); a firm registered with a place in
brackets (``海航航空技术（天津）有限责任公司``) is, when a firm of the same name without the place
exists, a subsidiary of it (``SUBSIDIARY_OF``) — the place makes it another firm, never the same.

:class:`OrgHierarchy` remembers the organisations of one ingest call by normal form, so an edge is
emitted whichever of parent and child arrives first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from graph.model import NodeLabel, RelType
from ingest.names import branch_of, classify_label, has_cjk, normalize_org_name, place_parts


@dataclass(frozen=True)
class ParentLink:
    rel: RelType
    parent_normal: str
    rule: str


def parent_link(name: str) -> ParentLink | None:
    """The parent an organisation name names, if any (by the parent's normal form)."""
    normal = normalize_org_name(name)
    if not has_cjk(normal):
        return None
    parent, branch = branch_of(normal)
    if branch is not None and parent != normal:
        return ParentLink(RelType.BRANCH_OF, parent, "branch_name")
    _, bare, bracketed = place_parts(normal)
    if bracketed and bare != normal and not re.search(r"\([^()]*\)", bare):
        if classify_label(normal) in ("Enterprise", "Intermediary"):
            return ParentLink(RelType.SUBSIDIARY_OF, bare, "place_in_brackets")
        return ParentLink(RelType.BRANCH_OF, bare, "campus_in_brackets")  # 哈尔滨工业大学(威海)
    return None


Node = tuple[NodeLabel, str]
Edge = tuple[RelType, Node, Node, str]


class OrgHierarchy:
    """Parents of the organisations seen in one call; ``find`` looks up organisations already
    known (the store's and this call's, through the resolver) by normal form."""

    def __init__(self, find: Callable[[str], list[Node]]) -> None:
        self._find = find
        self._waiting: dict[str, list[tuple[Node, ParentLink]]] = defaultdict(list)

    def seen(self, node: Node, name: str) -> tuple[list[Edge], Callable[[], None]]:
        """``node`` named ``name`` was created or linked: the edges to emit now (to a known parent,
        and from children that were waiting for it), and what to remember once the row commits."""
        edges: list[Edge] = []
        link = parent_link(name)
        wait: tuple[Node, ParentLink] | None = None
        if link is not None:
            parents = [p for p in self._find(link.parent_normal) if p[1] != node[1]]
            if len(parents) == 1:
                edges.append((link.rel, node, parents[0], link.rule))
            elif not parents:
                wait = (node, link)
        normal = normalize_org_name(name)
        children = [c for c in self._waiting.get(normal, []) if c[0][1] != node[1]]
        edges.extend((child_link.rel, child, node, child_link.rule) for child, child_link in children)

        def commit() -> None:
            if children:
                self._waiting.pop(normal, None)
            if wait is not None and link is not None:
                self._waiting[link.parent_normal].append(wait)

        return edges, commit
