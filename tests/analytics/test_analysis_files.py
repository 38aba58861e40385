"""The analyses readers open, saved once per graph version (issue #14): ``innograph analyses
build`` writes them, an API process loads them instead of computing them (both stores), a write
makes them stale while a posted demand does not, a damaged, foreign or other-code file is computed
again, and ``INNOGRAPH_ANALYSES=job`` keeps the warm-up from computing any.

Proof of "loaded, not computed" is :data:`graph.cache.computed` (counted where the cache runs a
computation) and :data:`analytics.saved.loads`, never timing.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import pickle
import threading
from collections import Counter
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from analytics import saved, service
from analytics.clusters import ClusterAnalysis
from api.app import create_app
from api.disclosure import DisclosureRule, published_sums
from api.security import KeyStore
from graph import cache, saved_files
from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.store import GraphStore
from innograph_cli.main import app as cli
from tests.analytics.planted import planted_clusters
from tests.cli_settings import point_cli_at

#: The kinds of the analyses saved (graph.cache.computed counts by kind).
ANALYSES = ("clusters", "views", "disclosure", "monitor", "roadmap_industries", "monitor_series")


@pytest.fixture
def planted_store(store: GraphStore) -> GraphStore:
    store.apply(_planted())
    return store


def _planted() -> ChangeSet:
    """Three planted clusters, one firm with a strategic industry of its own (so the monitor
    series reads no patent and is kept by the version of its inputs)."""
    changes = planted_clusters(clusters=3, firms_per_cluster=8, seed=5).changes
    changes.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, "ent:00000"), (L.INDUSTRY, "industry:SEI-1.2-0"))
    return changes


def _configure(monkeypatch: pytest.MonkeyPatch, store: GraphStore, data_dir: Path) -> Path:
    """Point the CLI (a job process reads the same settings) at the test's store; where its files go."""
    point_cli_at(monkeypatch, store, data_dir)
    return data_dir / "analyses"


def _all(store: GraphStore) -> dict[str, Any]:
    """Every saved analysis, through the functions the API calls."""
    return {
        "clusters": service.clusters(store),
        "views": service.views(store),
        "disclosure": published_sums(store, DisclosureRule.from_env()),
        "monitor": service.monitor(store),
        "roadmap_industries": service.roadmap_industries(store),
        "monitor_series": service.monitor_series(store),
    }


def _comparable(value: Any) -> Any:
    """A cluster analysis holds its network (a networkx graph, equal only to itself): compared by
    its nodes and edges with their data, the rest as it is."""
    if isinstance(value, ClusterAnalysis):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.name != "network"}
        network = value.network
        return fields, sorted(network.nodes(data=True), key=str), sorted(network.edges(data=True), key=str)
    return value


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert _comparable(a[name]) == _comparable(b[name]), name
    assert nx.utils.graphs_equal(a["clusters"].network, b["clusters"].network)


def _new_process(store: GraphStore, files: Path | None) -> None:
    """What a new API process has: nothing in memory, the files (if any) to load from."""
    cache.clear()
    saved.use_files(store, files)


def _computed() -> Counter[Hashable]:
    return Counter({k: cache.computed[k] for k in ANALYSES})


def _computed_since(before: Counter[Hashable]) -> dict[Hashable, int]:
    return {k: n for k, n in (_computed() - before).items() if n}


def _files(directory: Path, kind: str) -> list[Path]:
    """The saved files of ``kind`` (``<store>-<kind>_<key hash>-v…``)."""
    return sorted(p for p in directory.glob("*.pkl") if p.name.split("-")[1].rsplit("_", 1)[0] == kind)


def _demand(store: GraphStore) -> None:
    """A demand posted as the API posts it: a write the analyses do not read, carried forward."""
    cs = ChangeSet()
    cs.add_node(L.TECH_DEMAND, {"id": "demand:heat", "title": "散热技术需求", "status": "open"})
    before = store.version()
    store.apply(cs)
    cache.carry_forward(store, before, store.version())


def _new_firm(store: GraphStore) -> None:
    cs = ChangeSet()
    cs.add_node(L.ENTERPRISE, {"id": "ent:new", "name": "新企业", "techSme": True, "revenue": 5e6})
    cs.add_node(L.PATENT, {"id": "patent:new", "title": "新专利", "ipcCodes": ["H01L21/02"], "year": 2013})
    cs.add_relationship(R.APPLIED_FOR, (L.ENTERPRISE, "ent:new"), (L.PATENT, "patent:new"))
    store.apply(cs)


def test_saved_analyses_are_loaded_and_equal_the_computed_ones(
    planted_store: GraphStore, tmp_path: Path
) -> None:
    files = tmp_path / "analyses"
    _new_process(planted_store, None)
    fresh = _all(planted_store)  # in memory only: no files
    assert not files.exists()

    _new_process(planted_store, files)
    before = _computed()
    first = _all(planted_store)  # nothing saved: computed here, then saved off the request path
    saved_files.wait_for_saves(60)
    assert _computed_since(before) == dict.fromkeys(ANALYSES, 1)
    for kind in ANALYSES:
        [path] = _files(files, kind)
        assert path.stat().st_mode & 0o077 == 0
    # Each result's build lock stays beside its file (saving "views" once removed the lock of the
    # version it held: its name was cut at the first "-v").
    assert {p.stem for p in files.glob("*.lock")} == {p.stem for p in files.glob("*.pkl")}
    _same(first, fresh)

    stamps = {p: p.stat().st_mtime_ns for p in files.glob("*.pkl")}
    _new_process(planted_store, files)
    before, loads = _computed(), saved.loads.copy()
    again = _all(planted_store)
    assert _computed_since(before) == {}  # every one loaded, none computed
    assert all(saved.loads[k] == loads[k] + 1 for k in ANALYSES)
    _same(again, fresh)
    assert {p: p.stat().st_mtime_ns for p in files.glob("*.pkl")} == stamps  # read, not rewritten


def test_a_write_makes_the_files_stale_and_the_new_version_is_saved(
    planted_store: GraphStore, tmp_path: Path
) -> None:
    files = tmp_path / "analyses"
    _new_process(planted_store, files)
    _all(planted_store)
    saved_files.wait_for_saves(60)
    [old] = _files(files, "clusters")

    _new_firm(planted_store)  # an enterprise and its patent: every analysis reads them
    _new_process(planted_store, files)
    before = _computed()
    after = _all(planted_store)
    saved_files.wait_for_saves(60)
    assert _computed_since(before)["clusters"] == 1
    [new] = _files(files, "clusters")
    assert new != old and not old.exists()  # the old version's file is gone
    assert saved.read_header(new)["version"] == planted_store.version()
    assert "ent:new" in after["clusters"].network or "ent:new" in after["clusters"].unclustered


def test_a_posted_demand_keeps_the_saved_analyses(planted_store: GraphStore, tmp_path: Path) -> None:
    """A demand is read by none of them: the series (kept by its inputs' version) still hits its
    file, and the results the API carried forward are linked to the new version for the next
    process."""
    files = tmp_path / "analyses"
    _new_process(planted_store, files)
    fresh = _all(planted_store)
    saved_files.wait_for_saves(60)
    version = planted_store.version()

    _demand(planted_store)
    assert planted_store.version() == version + 1
    _new_process(planted_store, files)
    before = _computed()
    again = _all(planted_store)
    assert _computed_since(before) == {}
    _same(again, fresh)
    for kind in ("clusters", "views", "disclosure", "monitor", "roadmap_industries"):
        assert any(f"-v{version + 1}-" in p.name for p in _files(files, kind)), kind

    # Without the carry (a process that did not see the post): the series still hits its file.
    cs = ChangeSet()
    cs.add_node(L.TECH_DEMAND, {"id": "demand:cold", "title": "冷却技术需求", "status": "open"})
    planted_store.apply(cs)
    _new_process(planted_store, files)
    before = _computed()
    assert service.monitor_series(planted_store) == fresh["monitor_series"]
    assert _computed_since(before) == {}


def _damage(path: Path, how: str) -> None:
    if how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif how == "garbage":
        path.write_bytes(pickle.dumps({"format": saved.FORMAT}) + b"\x00not a pickle")
    elif how == "other code":
        with path.open("rb") as fh:
            header = pickle.load(fh)
            body = fh.read()
        path.write_bytes(pickle.dumps({**header, "code": "0123456789ab"}) + body)
    else:
        path.chmod(0o666)


@pytest.mark.parametrize("how", ["truncated", "garbage", "other code", "writable by others"])
def test_a_damaged_foreign_or_other_code_file_is_computed_again(
    planted_store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    files = tmp_path / "analyses"
    _new_process(planted_store, files)
    fresh = _all(planted_store)
    saved_files.wait_for_saves(60)
    [path] = _files(files, "clusters")
    _damage(path, how)

    _new_process(planted_store, files)
    before = _computed()
    with caplog.at_level(logging.WARNING, logger="analytics.saved"):
        again = _all(planted_store)  # never an error to the reader
    saved_files.wait_for_saves(60)
    assert _computed_since(before) == {"clusters": 1}
    [line] = [r.getMessage() for r in caplog.records if r.name == "analytics.saved"]
    assert path.name in line and "computing it instead" in line
    _same(again, fresh)
    assert saved.read_header(path)["version"] == planted_store.version()  # saved again, whole
    assert path.stat().st_mode & 0o077 == 0


def test_analyses_build_and_status_end_to_end(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the planted graph as it is: no firm has a strategic industry of its own, so the series
    reads patents and is kept by the store's version (the demo's case)."""
    store.apply(planted_clusters(clusters=3, firms_per_cluster=8, seed=5).changes)
    planted_store = store
    assert service.series_key(store)[0] == ("monitor_series", True)
    files = _configure(monkeypatch, planted_store, tmp_path)
    version = planted_store.version()
    runner = CliRunner()
    missing = runner.invoke(cli, ["analyses", "status"])
    assert missing.exit_code == 1 and f"version {version}: clusters, views" in missing.output

    built = runner.invoke(cli, ["analyses", "build", "--json"])
    assert built.exit_code == 0, built.output
    report = json.loads(built.stdout)
    assert report["version"] == version and report["built"] and report["peakRssMiB"] > 0
    assert [r["name"] for r in report["results"]] == [
        "clusters",
        "views",
        "disclosure",
        "monitor",
        "roadmap industries",
        "monitor series",
    ]
    assert all(r["built"] and r["bytes"] == os.path.getsize(r["path"]) for r in report["results"])
    stamps = {p: p.stat().st_mtime_ns for p in files.glob("*.pkl")}
    status = runner.invoke(cli, ["analyses", "status"])
    assert status.exit_code == 0 and f"version {version}: saved" in status.output

    again = runner.invoke(cli, ["analyses", "build"])
    assert again.exit_code == 0 and "already saved" in again.output
    assert {p: p.stat().st_mtime_ns for p in files.glob("*.pkl")} == stamps
    forced = runner.invoke(cli, ["analyses", "build", "--force", "--json"])
    assert forced.exit_code == 0 and json.loads(forced.stdout)["built"]
    assert all(p.stat().st_mtime_ns != stamps[p] for p in stamps)

    # What the job saved is what this process computes.
    _new_process(planted_store, None)
    fresh = _all(planted_store)
    _new_process(planted_store, files)
    before = _computed()
    _same(_all(planted_store), fresh)
    assert _computed_since(before) == {}


def _warm(store: GraphStore, tmp_path: Path) -> None:
    """A served app's start-up over ``store`` (a new process: nothing in memory)."""
    cache.clear()
    keys = KeyStore(tmp_path / "api-keys.json")
    app = create_app(store, keys=keys, public_read=True, index_files=tmp_path / "match-index", warm_up=True)
    with TestClient(app):
        app.state.warm_up.join(120)
        assert not app.state.warm_up.is_alive()


def test_job_mode_warm_up_loads_the_analyses_and_never_computes_them(
    planted_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _configure(monkeypatch, planted_store, tmp_path)
    monkeypatch.setenv("INNOGRAPH_INDEX", "job")  # and INNOGRAPH_ANALYSES unset: job as well

    before = _computed()
    _warm(planted_store, tmp_path)  # nothing saved: nothing computed either
    assert _computed_since(before) == {} and not list(files.glob("*.pkl"))

    result = CliRunner().invoke(cli, ["analyses", "build"])
    assert result.exit_code == 0, result.output
    before, loads = _computed(), saved.loads.copy()
    _warm(planted_store, tmp_path)  # the job's files: loaded by the warm-up
    assert _computed_since(before) == {}
    assert all(
        saved.loads[k] == loads[k] + 1
        for k in ("clusters", "disclosure", "monitor", "roadmap_industries", "monitor_series")
    )

    # An explicit INNOGRAPH_ANALYSES=api computes in the warm-up (after a write, nothing saved).
    monkeypatch.setenv("INNOGRAPH_ANALYSES", "api")
    _new_firm(planted_store)
    before = _computed()
    _warm(planted_store, tmp_path)
    assert _computed_since(before)["clusters"] == 1

    monkeypatch.setenv("INNOGRAPH_ANALYSES", "sometimes")
    with pytest.raises(ValueError, match="INNOGRAPH_ANALYSES"):
        _warm(planted_store, tmp_path)


def test_two_processes_missing_one_version_compute_it_once(tmp_path: Path) -> None:
    """Two API processes (two stores over one file) missing the clusters of the same version:
    one computes them, holding the version's build lock until its file is saved; the other waits
    and loads that file."""
    path = tmp_path / "graph.innograph"
    writer = EmbeddedStore(path)
    writer.apply(_planted())
    stores = [writer, EmbeddedStore(path)]
    files = tmp_path / "analyses"
    cache.clear()
    for store in stores:
        saved.use_files(store, files)
    before, loads = _computed(), saved.loads.copy()
    start = threading.Barrier(2)
    got: list[ClusterAnalysis] = []

    def worker(store: GraphStore) -> None:
        start.wait()
        got.append(service.clusters(store))

    workers = [threading.Thread(target=worker, args=(store,)) for store in stores]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    saved_files.wait_for_saves(60)
    assert len(got) == 2 and _comparable(got[0]) == _comparable(got[1])
    assert _computed_since(before) == {"clusters": 1}
    assert saved.loads["clusters"] == loads["clusters"] + 1


def test_a_failed_save_does_not_fail_the_reader(
    planted_store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")  # so the analyses directory cannot be made (as a full disk)
    _new_process(planted_store, None)
    fresh = _all(planted_store)
    _new_process(planted_store, blocked / "analyses")
    with caplog.at_level(logging.WARNING, logger="analytics.saved"):
        got = _all(planted_store)
        saved_files.wait_for_saves(60)
    _same(got, fresh)
    lines = [r.getMessage() for r in caplog.records if r.name == "analytics.saved"]
    assert any("not saved" in line for line in lines), lines
    assert not list(tmp_path.glob("**/*.tmp"))
