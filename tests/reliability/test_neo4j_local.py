"""scripts/neo4j_local.py: a stable port per instance, a heap sized to the machine, and the
class-data sharing archive (recorded on a first start, mapped on the next, never a failed start)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import neo4j_local


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(neo4j_local, "CACHE", tmp_path)
    monkeypatch.delenv("NEO4J_LOCAL_PORT", raising=False)
    return tmp_path


def test_the_port_is_chosen_once_and_reused(cache: Path) -> None:
    first = neo4j_local.choose_port("dev")
    assert (cache / "dev" / "port").read_text().strip() == str(first)
    assert neo4j_local.choose_port("dev") == first  # a restart keeps NEO4J_URI right
    neo4j_local.choose_port("other")  # other instances record their own
    assert (cache / "other" / "port").exists()


def test_explicit_port_and_variable_win_and_are_recorded(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert neo4j_local.choose_port("dev", 45678) == 45678
    assert neo4j_local.choose_port("dev") == 45678
    monkeypatch.setenv("NEO4J_LOCAL_PORT", "45679")
    assert neo4j_local.choose_port("dev") == 45679


def test_a_taken_recorded_port_is_replaced_with_a_warning(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = neo4j_local.choose_port("dev")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", recorded))
        holder.listen()
        again = neo4j_local.choose_port("dev")
    assert again != recorded
    assert "is taken" in capsys.readouterr().err


def test_heap_is_sized_to_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_LOCAL_HEAP", raising=False)
    monkeypatch.setattr(neo4j_local, "_machine_memory", lambda: 2 * 2**30)
    assert neo4j_local.default_heap() == "512m"  # a small machine: the floor
    monkeypatch.setattr(neo4j_local, "_machine_memory", lambda: 8 * 2**30)
    assert neo4j_local.default_heap() == "1024m"
    monkeypatch.setattr(neo4j_local, "_machine_memory", lambda: 64 * 2**30)
    assert neo4j_local.default_heap() == "2048m"  # the cap
    monkeypatch.setenv("NEO4J_LOCAL_HEAP", "3g")
    assert neo4j_local.default_heap() == "3g"
    assert neo4j_local.initial_heap("2g") == "256m" and neo4j_local.initial_heap("128m") == "128m"
    assert "-XX:+AlwaysPreTouch" not in neo4j_local.JVM_OPTIONS  # no 2.5 GB resident at start


# -- class-data sharing: a real Neo4j, a real JVM ----------------------------------------------


def _answers(uri: str) -> bool:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, connection_timeout=5, max_transaction_retry_time=0) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_="neo4j")
    return bool(records[0]["one"] == 1)


@pytest.fixture(scope="module")
def cds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cds")


@pytest.fixture(scope="module")
def recorded(cds_dir: Path) -> Path:
    """One instance's first start (recording the archive) and clean stop; the archive's path."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(neo4j_local, "CDS_DIR", cds_dir)
        mp.setenv("NEO4J_LOCAL_CDS", "1")
        name = f"pytest-cds-{os.getpid()}"
        archive = neo4j_local.cds_archive(java())
        try:
            state = neo4j_local.start(name, heap="512m", pagecache="128m")
            assert state["cds"] == "recording" and not archive.exists()
            assert _answers(str(state["uri"]))
            neo4j_local.stop(name)
        finally:
            neo4j_local.stop(name, remove=True)
    return archive


def java() -> str:
    return shutil.which("java") or "java"


def classpath() -> str:
    """What a start's class path comes to (its conf/ and plugins/ hold no jars)."""
    return f"{neo4j_local.lib_dir()}/*:{neo4j_local.warmup_plugin()}"


@pytest.mark.neo4j
@pytest.mark.slow
def test_the_archive_is_recorded_on_the_first_start_and_mapped_on_the_next(
    recorded: Path, cds_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert recorded.stat().st_size > 10 * 2**20  # Neo4j's classes, not an empty shell
    assert not list(cds_dir.glob("*.recording"))
    assert neo4j_local.cds_usable(java(), recorded, classpath(), "512m")
    monkeypatch.setattr(neo4j_local, "CDS_DIR", cds_dir)
    name = f"pytest-cds2-{os.getpid()}"
    load_log = tmp_path / "class-load.log"
    try:
        state = neo4j_local.start(
            name, heap="512m", pagecache="128m", jvm_options=[f"-Xlog:class+load=info:file={load_log}"]
        )
        assert state["cds"] == "shared" and state["cds_archive"] == str(recorded)
        assert _answers(str(state["uri"]))
        loaded = load_log.read_text()
        # The JVM's own word: Neo4j's classes came from the dynamic archive ("top" layer).
        assert "org.neo4j.server.CommunityEntryPoint source: shared objects file (top)" in loaded
        # ... and so did the Cypher stack that answered the query: the recording ran the hot
        # statements (an archive of a bare start left the first query as slow as without one).
        assert re.search(r"org\.neo4j\.cypher\.internal\.\S+ source: shared objects file \(top\)", loaded)
    finally:
        neo4j_local.stop(name, remove=True)


@pytest.mark.neo4j
@pytest.mark.slow
def test_a_damaged_archive_is_refused(recorded: Path, tmp_path: Path) -> None:
    damaged = tmp_path / recorded.name
    data = bytearray(recorded.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte in the middle: the JVM alone would map it unchecked
    damaged.write_bytes(bytes(data))
    assert not neo4j_local.cds_usable(java(), damaged, classpath(), "512m")
    damaged.write_bytes(b"not an archive")
    assert not neo4j_local.cds_usable(java(), damaged, classpath(), "512m")


@pytest.mark.neo4j
@pytest.mark.slow
def test_a_stale_archive_falls_back_to_a_plain_start_and_is_recorded_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An archive the JVM would ignore in silence (under its default -Xshare:auto): here one
    dumped without compressed oops, as a heap over 32 GiB gives. The start goes on without it,
    and its clean stop records a sound one in its place."""
    monkeypatch.setattr(neo4j_local, "CDS_DIR", tmp_path)
    archive = neo4j_local.cds_archive(java())
    subprocess.run(
        [
            java(),
            f"-XX:ArchiveClassesAtExit={archive}",
            "-XX:-UseCompressedOops",
            "-cp",
            classpath(),
            "-version",
        ],
        check=True,
        capture_output=True,
    )
    assert archive.is_file() and not neo4j_local.cds_usable(java(), archive, classpath(), "512m")
    name = f"pytest-cds3-{os.getpid()}"
    try:
        state = neo4j_local.start(name, heap="512m", pagecache="128m")
        assert state["cds"] == "recording"
        assert _answers(str(state["uri"]))
        neo4j_local.stop(name)
    finally:
        neo4j_local.stop(name, remove=True)
    assert archive.stat().st_size > 10 * 2**20
    assert neo4j_local.cds_usable(java(), archive, classpath(), "512m")


def test_no_archive_when_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_LOCAL_CDS", "0")
    assert not neo4j_local.cds_enabled()
    monkeypatch.setenv("NEO4J_LOCAL_CDS", "1")
    assert neo4j_local.cds_enabled()


def test_one_archive_per_jvm_build_and_oops_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A heap past compressed oops' reach gets its own archive, so two instances with such
    different heaps do not delete each other's (the JVM refuses the other's)."""
    monkeypatch.setattr(neo4j_local, "CDS_DIR", tmp_path)
    small, large = neo4j_local.cds_archive(java(), "2g"), neo4j_local.cds_archive(java(), "40g")
    assert small != large and small.parent == large.parent == tmp_path
    assert neo4j_local.neo4j_version() in small.name
    assert neo4j_local.cds_archive(java(), "512m") == small
