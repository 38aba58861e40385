"""A firm's own group: its parent, branches and subsidiaries are not partners.

The graph says so where it can (``BRANCH_OF`` / ``SUBSIDIARY_OF`` relationships, when the model
has them); otherwise names do: two organisations whose normalised names share the same core
once the branch part is dropped (天津华信科技有限公司 and 天津华信科技有限公司东丽分公司 → 华信科技),
or where one core extends the other (中国航空工业 and 中国航空工业天津公司). The heuristic is
stated in every result that uses it.
"""

from __future__ import annotations

from typing import Final

from graph.model import NodeLabel, RelType
from ingest.names import branch_of, normalize_org_name
from match.index import MatchIndex

#: Relationship types that tie a firm to its group, by name (present once the model has them).
GROUP_RELS: Final = tuple(
    rel for name in ("BRANCH_OF", "SUBSIDIARY_OF") if (rel := getattr(RelType, name, None)) is not None
)
#: A core shorter than this (e.g. "华信") says too little to group on a prefix alone.
MIN_PREFIX: Final = 4


def group_core(name: str) -> str:
    """The name a group's members share: the legal form and the branch suffix removed.

    >>> group_core("天津华信科技有限公司东丽分公司") == group_core("天津华信科技有限公司")
    True
    >>> group_core("天津华信科技有限公司东丽分公司")
    '天津华信科技'
    """
    return branch_of(normalize_org_name(name))[0]


def _cores(index: MatchIndex) -> dict[str, str]:
    cached = index.memo.get(("group-cores", ""))
    if cached is None:
        cached = {
            a: group_core(str(index.props(a).get("name") or ""))
            for a in index.actors
            if index.label[a] != NodeLabel.PERSON
        }
        index.memo[("group-cores", "")] = cached
    return cached  # type: ignore[return-value]


def same_group(index: MatchIndex, firm: str) -> set[str]:
    """Organisations of the firm's own group (never the firm itself)."""
    out: set[str] = set()
    for rel in GROUP_RELS:
        out |= set(index.out(firm, rel)) | set(index.into(firm, rel))
        for parent in index.out(firm, rel):
            out |= set(index.into(parent, rel))
    cores = _cores(index)
    mine = cores.get(firm, "")
    if mine:
        for actor, core in cores.items():
            if not core or actor == firm:
                continue
            if core == mine or (
                min(len(core), len(mine)) >= MIN_PREFIX and (core.startswith(mine) or mine.startswith(core))
            ):
                out.add(actor)
    out.discard(firm)
    return out
