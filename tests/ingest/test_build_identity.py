"""The ingest's speed-ups change no output: the demo ×1 graph and reports, built with them and
with the plain implementations they replace, are identical node for node and property for
property (bench/first_load_build.py prints the same fingerprints for ×10 against an older
checkout)."""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.first_load_build import graph_digest, report_digest
from demo.build import spec_phases
from demo.generate import generate
from graph import changeset
from graph.changeset import RelRecord, merge_props
from graph.embedded import EmbeddedStore
from ingest import builder, names, pipeline, resolve
from ingest.pipeline import collector_paused, ingest_specs


def _plain_union(old: list[Any] | None, new: list[Any] | None) -> list[Any] | None:
    """``graph.changeset._union`` as it was, without its fast paths."""
    if not new:
        return old
    merged = list(old or [])
    merged.extend(x for x in dict.fromkeys(new) if x not in merged)
    return merged


def _plain_top_hits(hits: Counter[str]) -> list[tuple[str, int]]:
    """``ingest.resolve``'s candidate ranking as it was: every blocked id sorted."""
    return sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: resolve.MAX_SCORED]


def _plain_absorb(target: changeset.ChangeSet, part: changeset.ChangeSet) -> None:
    """``ingest.builder._absorb`` as it was: every node merged, new ones too."""
    for label, by_id in part.nodes.items():
        into = target.nodes.setdefault(label, {})
        for node_id, props in by_id.items():
            into[node_id] = merge_props(into.get(node_id, {}), props)
    for key, rel in part.rels.items():
        existing = target.rels.get(key)
        if existing is None:
            target.rels[key] = RelRecord(
                rel.type, rel.start, rel.start_label, rel.end, rel.end_label, dict(rel.props)
            )
        else:
            existing.props = merge_props(existing.props, rel.props)


@contextlib.contextmanager
def _collector_untouched() -> Iterator[None]:
    yield


def _build(demo: Path) -> tuple[str, str]:
    store = EmbeddedStore()
    reports = []
    runs = demo / "runs"
    for phase in spec_phases(sorted((demo / "specs").glob("*.toml"))):
        reports.append(ingest_specs(store, phase, data_dir=runs, save=False))
    return graph_digest(store), report_digest(reports)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("identity") / "x1"
    generate(out, scale=1, seed=20101231)
    return out


_CACHED = (names._pinyin_upper, names.normalize_org_name, names.weighted_latin_keys)


def _clear_caches() -> None:
    for cached in _CACHED:
        cached.cache_clear()


def test_demo_graph_and_reports_identical_without_the_speedups(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear_caches()
    fast = _build(demo)
    with monkeypatch.context() as plain:
        plain.setattr(changeset, "_union", _plain_union)
        plain.setattr(resolve, "_top_hits", _plain_top_hits)
        plain.setattr(builder, "_absorb", _plain_absorb)
        plain.setattr(pipeline, "collector_paused", _collector_untouched)
        plain.setattr(names, "_pinyin_upper", names._pinyin_upper.__wrapped__)
        plain.setattr(resolve, "normalize_credit_code", resolve.normalize_credit_code.__wrapped__)
        _clear_caches()
        slow = _build(demo)
    assert fast[0] == slow[0], "the graph differs"
    assert fast[1] == slow[1], "the ingest reports differ"


_values = st.one_of(st.integers(-3, 3), st.sampled_from(["a", "b", "c", "甲", "乙"]), st.booleans())


@settings(deadline=None)  # a shared machine's pauses are not what is tested
@given(
    old=st.one_of(st.none(), st.lists(_values, max_size=6)),
    new=st.one_of(st.none(), st.lists(_values, max_size=4)),
)
def test_union_fast_paths_match_the_plain_union(old: list[Any] | None, new: list[Any] | None) -> None:
    got = changeset._union(old, new)
    assert got == _plain_union(old, new)
    assert [type(x) for x in got or []] == [type(x) for x in _plain_union(old, new) or []]
    if new:  # always a new list: the caller's lists are never shared into the merged record
        assert got is not old


_ids = st.text("abcdef", min_size=1, max_size=4)


@settings(deadline=None)
@given(
    st.one_of(
        st.dictionaries(_ids, st.integers(1, 6), max_size=resolve.MAX_SCORED),
        # More ids than are kept: the path that cuts at the MAX_SCORED-th best count.
        st.dictionaries(_ids, st.integers(1, 6), min_size=resolve.MAX_SCORED + 1, max_size=160),
        # Hundreds of ids tied at the cut (a common block): the path that picks the smallest ids
        # among the ties without sorting them all.
        st.dictionaries(_ids, st.integers(1, 2), min_size=4 * resolve.MAX_SCORED + 1, max_size=600),
    )
)
def test_top_hits_match_a_full_sort(counts: dict[str, int]) -> None:
    hits = Counter(counts)
    assert resolve._top_hits(hits) == _plain_top_hits(hits)


def test_collector_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one paused
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed ingest")
    assert gc.isenabled()
