"""Cluster measures: location quotient, invention share, growth, and the "strong cluster" test.

Pure functions over plain numbers, so each can be checked by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np


def location_quotient(
    local: float, local_total: float, reference: float, reference_total: float
) -> float | None:
    """LQ = (local / local_total) / (reference / reference_total); None when undefined.

    The denominators are the comparable totals (all employment in the district, all employment
    in the reference region), as in the U.S. Cluster Mapping method.

    >>> location_quotient(30, 100, 10, 100)
    3.0

    References
    ----------
    Delgado, Porter & Stern (2014), "Clusters, convergence, and economic performance",
    *Research Policy* 43(10): 1785–1799.
    """
    if local_total <= 0 or reference <= 0 or reference_total <= 0:
        return None
    return (local * reference_total) / (local_total * reference)


def invention_share(kinds_are_invention: Iterable[bool]) -> float | None:
    """Share of invention patents (发明专利) among patents; None when there are none.

    >>> invention_share([True, False, False, True])
    0.5
    """
    flags = list(kinds_are_invention)
    return sum(flags) / len(flags) if flags else None


def cagr(first: float, last: float, years: float) -> float | None:
    """Compound annual growth rate from ``first`` to ``last`` over ``years``.

    >>> round(cagr(100, 121, 2), 6)
    0.1
    """
    if years <= 0 or first <= 0 or last < 0:
        return None
    return float((last / first) ** (1.0 / years) - 1.0)


def series_total(series: Iterable[tuple[Sequence[int], Sequence[float]]]) -> dict[int, float]:
    """Year → sum over firms of the firms' values that year."""
    totals: dict[int, float] = defaultdict(float)
    for years, values in series:
        for year, value in zip(years, values, strict=False):
            totals[int(year)] += float(value)
    return dict(sorted(totals.items()))


def panel_growth(
    series: Sequence[tuple[Sequence[int], Sequence[float]]],
) -> tuple[float | None, int | None, int | None]:
    """Growth of a group's total over the years present: ``(cagr, first_year, last_year)``.

    The first and last years are the earliest and latest any firm reports; only firms that
    report both enter the sums (a balanced panel), so firms appearing or missing in the data do
    not pass for growth or decline.

    >>> panel_growth([([2010, 2012], [100.0, 121.0]), ([2012], [50.0])])
    (0.1, 2010, 2012)
    """
    years = [int(y) for ys, _ in series for y in ys]
    if not years:
        return None, None, None
    first, last = min(years), max(years)
    if first == last:
        return None, first, last
    start = end = 0.0
    for ys, values in series:
        by_year = {int(y): float(v) for y, v in zip(ys, values, strict=False)}
        if first in by_year and last in by_year:
            start += by_year[first]
            end += by_year[last]
    rate = cagr(start, end, last - first)
    return (round(rate, 12) if rate is not None else None), first, last


def count_growth(counts_by_year: Mapping[int, int]) -> float | None:
    """CAGR between the first and the last year with a count (e.g. patent applications).

    >>> round(count_growth({2010: 4, 2011: 0, 2012: 9}), 6)
    0.5
    """
    present = sorted(y for y, n in counts_by_year.items() if n > 0)
    if len(present) < 2:
        return None
    return cagr(counts_by_year[present[0]], counts_by_year[present[-1]], present[-1] - present[0])


def strong_clusters(lq: Mapping[str, float | None], size: Mapping[str, float]) -> set[str]:
    """Clusters that are "strong": LQ ≥ 1 and in the top quartile of LQs, with size above the
    bottom quartile (U.S. Cluster Mapping's rule).

    >>> lq = {"a": 2.0, "b": 1.2, "c": 0.5, "d": 0.9}
    >>> sorted(strong_clusters(lq, {"a": 50, "b": 40, "c": 30, "d": 20}))
    ['a']

    References
    ----------
    Porter (2003), "The economic performance of regions", *Regional Studies* 37(6–7): 549–578;
    U.S. Cluster Mapping Project, "Strong clusters" methodology (clustermapping.us).
    """
    known = {c: v for c, v in lq.items() if v is not None}
    if not known:
        return set()
    lq_q3 = float(np.percentile(list(known.values()), 75))
    size_q1 = float(np.percentile([size[c] for c in size], 25)) if size else 0.0
    return {c for c, v in known.items() if v >= 1.0 and v >= lq_q3 and size.get(c, 0.0) > size_q1}
