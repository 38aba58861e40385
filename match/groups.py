"""A firm's own group: its parent, branches and subsidiaries are not partners.

The graph says so where it can (``BRANCH_OF`` / ``SUBSIDIARY_OF`` relationships, when the model
has them); otherwise names do: two organisations whose normalised names share the same core
once the branch part is dropped (天津华信科技有限公司 and 天津华信科技有限公司东丽分公司 → 华信科技),
or where one core extends the other (中国航空工业 and 中国航空工业天津公司). The heuristic is
stated in every result that uses it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from graph.model import NodeLabel, RelType
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
    # Imported here: the name rules load pypinyin (a second); an index saved on disk carries
    # the cores (:func:`prepare`), so a CLI call answered from it never needs them.
    from ingest.names import branch_of, normalize_org_name

    return branch_of(normalize_org_name(name))[0]


@dataclass(frozen=True)
class _Cores:
    """Every organisation's name core, looked up by core and by prefix: a firm's group is found
    in O(log n) instead of comparing its core with every organisation's (at ×100, ~470 k of them,
    that loop alone took longer than the 100 ms a partner query may take; docs/benchmarks/scale.md)."""

    of: dict[str, str]  # actor → core
    by_core: dict[str, list[str]]  # core → actors with it
    ordered: list[str]  # the distinct cores, sorted (prefix ranges by bisection)


def _cores(index: MatchIndex) -> _Cores:
    cached = index.memo.get(("group-cores", ""))
    if cached is None:
        of = {
            a: group_core(str(index.props(a).get("name") or ""))
            for a in index.actors
            if index.label[a] != NodeLabel.PERSON
        }
        by_core: dict[str, list[str]] = defaultdict(list)
        for actor, core in of.items():
            if core:
                by_core[core].append(actor)
        cached = _Cores(of, dict(by_core), sorted(by_core))
        index.memo[("group-cores", "")] = cached
    return cached  # type: ignore[return-value]


def prepare(index: MatchIndex) -> None:
    """Compute every organisation's name core now, into ``index.memo`` (kept when the index is
    saved on disk: ``match/disk_cache.py``)."""
    _cores(index)


#: The memo entries :func:`prepare` fills.
MEMO_KEYS: Final = (("group-cores", ""),)


def _related_cores(cores: _Cores, mine: str) -> list[str]:
    """Cores equal to ``mine``, or where one extends the other and both have ``MIN_PREFIX``
    characters (the shorter of the two is the prefix, so that is the one that must be long)."""
    found = [mine] if mine in cores.by_core else []
    if len(mine) < MIN_PREFIX:
        return found
    # Longer cores that start with mine: a contiguous run of the sorted cores.
    # Walked by position: a slice from there copied the rest of the ~470 k cores on every
    # query at ×100.
    ordered = cores.ordered
    for k in range(bisect.bisect_right(ordered, mine), len(ordered)):
        if not ordered[k].startswith(mine):
            break
        found.append(ordered[k])
    # Shorter cores that mine starts with: its own prefixes of at least MIN_PREFIX characters.
    found.extend(mine[:n] for n in range(MIN_PREFIX, len(mine)) if mine[:n] in cores.by_core)
    return found


def same_group(index: MatchIndex, firm: str) -> set[str]:
    """Organisations of the firm's own group (never the firm itself)."""
    out: set[str] = set()
    for rel in GROUP_RELS:
        out |= set(index.out(firm, rel)) | set(index.into(firm, rel))
        for parent in index.out(firm, rel):
            out |= set(index.into(parent, rel))
    cores = _cores(index)
    mine = cores.of.get(firm, "")
    if mine:
        for core in _related_cores(cores, mine):
            out.update(cores.by_core[core])
    out.discard(firm)
    return out
