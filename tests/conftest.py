"""Shared fixtures: a real Neo4j for the whole session, and a ``store`` fixture that runs a
test once on each store (embedded and Neo4j) — the contract every query is held to.

Neo4j comes from ``NEO4J_URI`` when set (``make test`` starts the local server and sets it),
otherwise this session starts its own local instance via ``scripts/neo4j_local.py``. If it
cannot start, every Neo4j test errors with the reason: never a silent skip.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from ingest.reconcile import IngestReport

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("INNOGRAPH_SHARED_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(ROOT / "scripts"))

import neo4j_local  # noqa: E402

_neo4j_counts = {"passed": 0, "failed": 0}


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    name = f"pytest-{os.getpid()}"
    try:
        state = neo4j_local.start(name, heap="512m", pagecache="128m")
    except neo4j_local.Neo4jLocalError as e:
        pytest.fail(f"Neo4j could not start, so the Neo4j tests cannot run: {e}", pytrace=False)
    try:
        yield str(state["uri"])
    finally:
        neo4j_local.stop(name, remove=True)


@pytest.fixture(scope="session")
def neo4j_store_session(neo4j_uri: str) -> Iterator[GraphStore]:
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


@pytest.fixture
def neo4j_store(neo4j_store_session: GraphStore) -> GraphStore:
    """The session's Neo4j, wiped before the test."""
    neo4j_store_session.clear()
    return neo4j_store_session


def green_aviation_store(tmp_path: Path) -> tuple[EmbeddedStore, IngestReport]:
    """The real PatSnap green-aviation export (shared data), ingested with the reference lists
    into a fresh in-memory store, through the spec the repository ships."""
    from ingest.pipeline import ingest_specs
    from ingest.reference import load_reference

    export = SHARED_DATA / "real-patsnap-green-aviation" / "patsnap_green_aviation_20240401085613950.xlsx"
    spec = tmp_path / "patsnap.toml"
    text = (ROOT / "specs" / "patsnap_green_aviation.toml").read_text(encoding="utf-8")
    # The spec names the file relative to a checkout beside ../shared; point it at the real path.
    spec.write_text(re.sub(r'(?m)^file = ".*"$', f'file = "{export}"', text), encoding="utf-8")
    store = EmbeddedStore()
    load_reference(store, SHARED_DATA)
    return store, ingest_specs(store, [spec], save=False)


def use_embedded_cli(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, changes: ChangeSet | None = None
) -> None:
    """Point the CLI at an embedded store in ``data_dir`` holding ``changes`` — never at a Neo4j
    the developer's shell happens to name in ``NEO4J_URI``."""
    if changes is not None:
        store = EmbeddedStore(data_dir / "graph.innograph")
        store.apply(changes)
        store.close()
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(data_dir))
    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    monkeypatch.delenv("NEO4J_URI", raising=False)


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[GraphStore]:
    store = EmbeddedStore(tmp_path / "graph.innograph")
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """Runs the test once per store: the contract both must meet."""
    name = "embedded_store" if request.param == "embedded" else "neo4j_store"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and "neo4j" in report.keywords:
        _neo4j_counts["passed" if report.passed else "failed"] += 1 if not report.skipped else 0


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(
        f"Neo4j: {_neo4j_counts['passed']} tests passed and {_neo4j_counts['failed']} failed "
        "against the real server"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Any test that touches the server is a Neo4j test, whatever fixture brought it in.
    for item in items:
        names = getattr(item, "fixturenames", ())
        if any(n in names for n in ("neo4j_uri", "neo4j_store", "neo4j_store_session")) and (
            "store" not in names or "[neo4j" in item.nodeid
        ):
            item.add_marker(pytest.mark.neo4j)
