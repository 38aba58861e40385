"""An organisation's city read from the place in its name, for firms the graph gives no address.

A Chinese firm name starts with, or brackets, the region of the authority that registered it
(骏驰航空科技(天津)有限公司, 天津市东丽区华信科技有限公司), so the name says where the firm is
registered even when the source (a PatSnap or Lens export) carries no address. That is weaker
evidence than an address — a firm registered in Tianjin may work elsewhere, and a name may name
a place for other reasons — so matchmaking uses it only for the city (never the district or
park) and labels it in the evidence (:data:`NAME_SOURCE`).

Places are found by the ingest name rules (:func:`ingest.names.place_parts`) and resolved on
the region hierarchy (:mod:`graph.regions`): the one most specific division that every place
in the name agrees with (吉林 + 长春 + 朝阳区 → 长春市朝阳区 → city 长春市, not 北京市朝阳区). A
name whose places disagree (上海 … 天津) or name no division gives nothing.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Final

from graph.regions import RegionHierarchy, hierarchy, level

#: How the evidence labels a city that came from the name rather than an address.
NAME_SOURCE: Final = "name"
#: Suffixes a province or city drops in its short spelling (天津市 → 天津, 河北省 → 河北).
_SUFFIXES: Final = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, tuple[str, ...]]:
    """Division name (full, and short for provinces and cities) → its codes."""
    found: dict[str, set[str]] = defaultdict(set)
    for code, name in hierarchy().names.items():
        found[name].add(code)
        if level(code) in {"province", "city"}:
            for suffix in _SUFFIXES:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    found[name[: -len(suffix)]].add(code)
                    break
    return {name: tuple(sorted(codes)) for name, codes in found.items()}


def _resolve(places: frozenset[str], tree: RegionHierarchy) -> str | None:
    """The most specific code every place agrees with (is it or one of its ancestors)."""
    by_name = _codes_by_name()
    options = {p: set(by_name.get(p, ())) for p in places}
    options = {p: codes for p, codes in options.items() if codes}
    if not options:
        return None
    fits = []
    for code in sorted(set().union(*options.values())):
        line = {code, *tree.ancestors(code)}
        # Exactly one reading of each place on the line: 吉林 alone could be the province or
        # the city 吉林市 inside it, so it places nothing below the province.
        if all(len(codes & line) == 1 for codes in options.values()):
            fits.append(code)
    if not fits:
        return None
    depth = max(len(tree.ancestors(c)) for c in fits)
    deepest = [c for c in fits if len(tree.ancestors(c)) == depth]
    return deepest[0] if len(deepest) == 1 else None


@lru_cache(maxsize=65536)
def city_from_name(name: str) -> str | None:
    """The city code (``120000`` for 天津) a Chinese organisation name places it in, or None.

    >>> city_from_name("骏驰航空科技(天津)有限公司") == city_from_name("天津市东丽区华信科技有限公司")
    True
    """
    # Imported here: the name rules load pypinyin (a second), which only an index build needs —
    # not a CLI call answered from the index on disk.
    from ingest.names import normalize_org_name, place_parts

    normal = normalize_org_name(name or "")
    if not normal:
        return None
    places = place_parts(normal)[0]
    if not places:
        return None
    tree = hierarchy()
    code = _resolve(places, tree)
    return tree.city_of(code) if code is not None else None
