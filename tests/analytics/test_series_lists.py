"""The yearly high-tech, little-giant and park lists in the monitor series (issue #13), on both
stores: a loaded little-giant list is the little-giant count of its years (revenue ≥ 1亿元 is only
the criterion without one), and the series reports each list's size as of every year."""

from __future__ import annotations

from analytics import service
from analytics.cache import clear as clear_cache
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.store import GraphStore
from tests.contract.test_dated_facts import _edition, _report


def _points(series: service.MonitorSeries, indicator: str) -> dict[int, float | None]:
    found = next(i for i in series.indicators if i.id == indicator)
    return {p.year: p.value for p in found.points}


def test_a_little_giant_list_is_the_count_and_every_list_is_sized_by_year(store: GraphStore) -> None:
    changes = ChangeSet()
    for firm in ("ent:A", "ent:B", "ent:C"):
        changes.add_node(L.ENTERPRISE, {"id": firm, "name": f"天津{firm[-1]}科技有限公司"})
    _edition(changes, 2010, {"ent:A": None, "ent:B": None, "ent:C": None})
    _edition(changes, 2011, {"ent:A": None, "ent:B": None, "ent:C": None})
    _edition(changes, 2012, {"ent:A": None, "ent:B": None})
    # A at 1.2亿 in 2010 and 2011; B crosses 1亿 only in 2012; C never does.
    for year, revenues in {
        2010: (1.2e8, 5e7, 1e6),
        2011: (1.2e8, 8e7, 1e6),
        2012: (0.9e8, 1.1e8, 1e6),
    }.items():
        for firm, revenue in zip(("ent:A", "ent:B", "ent:C"), revenues, strict=True):
            _report(changes, firm, year, revenue, 10)
    _edition(changes, 2011, {"ent:A": None}, kind="littleGiant")
    # 2012: A keeps its title in a weaker year, B is recognised.
    _edition(changes, 2012, {"ent:A": None, "ent:B": None}, kind="littleGiant")
    _edition(changes, 2010, {"ent:A": None, "ent:C": None}, kind="park")
    _edition(changes, 2012, {"ent:A": None, "ent:B": None}, kind="park")
    store.apply(changes)
    clear_cache()

    series = service.monitor_series(store)

    assert series.years == [2010, 2011, 2012]
    # 2010: no little-giant edition yet, so the criterion (A ≥ 1亿); then the list's members.
    assert _points(series, "little_giants") == {2010: 1, 2011: 1, 2012: 2}
    # The park share reads the park list as of each year (2011 still has the 2010 edition).
    assert _points(series, "park_share") == {2010: round(2 / 3, 6), 2011: round(2 / 3, 6), 2012: 1.0}
    sizes = {ls.kind: {p.year: p.value for p in ls.points} for ls in series.lists}
    assert sizes == {
        "techSme": {2010: 3, 2011: 3, 2012: 2},
        "littleGiant": {2011: 1, 2012: 2},
        "park": {2010: 2, 2011: 2, 2012: 2},
    }
    assert [ls.name for ls in series.lists] == ["科技型中小企业", "科技小巨人企业", "入园企业"]
