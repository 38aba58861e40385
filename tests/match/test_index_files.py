"""The match index built once per graph version and saved (issue #14): ``innograph index build``
writes it, the API loads it instead of building (both stores), a write makes it stale and the
next build saves the new version's, a damaged or foreign file is rebuilt with the answers of a
fresh build, and ``INNOGRAPH_INDEX=job`` keeps the warm-up from building.

Proof of "loaded, not built" is :data:`match.disk_cache.builds` / ``loads`` (counted where the
index is built or loaded) and the saved file's modification time.
"""

from __future__ import annotations

import logging
import os
import pickle
import time
import weakref
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.security import KeyStore
from graph.changeset import ChangeSet
from graph.errors import UnusableIndexFileError
from graph.model import NodeLabel as L
from graph.records import Node
from graph.store import GraphStore
from innograph_cli.main import app as cli
from match import cache, disk_cache
from tests.cli_settings import point_cli_at
from tests.match.fixture import FIRM, NEW_PARTNER, _patent

PARTNERS = f"/api/v1/enterprises/{FIRM}/partners"


def _configure(monkeypatch: pytest.MonkeyPatch, store: GraphStore, data_dir: Path) -> Path:
    """Point the CLI (a job process would read the same settings) at the test's store; where its files go."""
    point_cli_at(monkeypatch, store, data_dir)
    return data_dir / "match-index"


def _job(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["index", *args])
    assert result.exit_code == 0, result.output
    return result


def _partners(store: GraphStore, keys: tuple[KeyStore, dict[str, str]], files: Path | None) -> Any:
    """One partner answer from a new API process's point of view (no index in memory)."""
    cache.clear()
    with TestClient(create_app(store, keys=keys[0], public_read=True, index_files=files)) as client:
        r = client.get(PARTNERS, params={"exclude_existing": True})
        assert r.status_code == 200, r.text
        disk_cache.wait_for_saves(60)
        return r.json()


def _write(store: GraphStore) -> None:
    cs = ChangeSet()
    _patent(cs, "patent:new-heat", "大功率LED散热翅片", ["F21V29/76"], 2021, [(L.UNIVERSITY, NEW_PARTNER)])
    store.apply(cs)


def test_the_api_loads_the_index_the_job_saved(
    loaded: GraphStore, keys: tuple[KeyStore, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _configure(monkeypatch, loaded, tmp_path)
    fresh = _partners(loaded, keys, None)  # built in memory, no files
    assert not files.exists()

    _job("build")
    [saved] = files.glob("*.pkl")
    stamp = saved.stat().st_mtime_ns
    builds, loads = disk_cache.builds, disk_cache.loads

    assert _partners(loaded, keys, files) == fresh
    assert (disk_cache.builds, disk_cache.loads) == (builds, loads + 1)
    assert saved.stat().st_mtime_ns == stamp  # read, not rewritten
    assert fresh["matches"][0]["candidate"]["id"] == NEW_PARTNER


def test_an_index_the_api_builds_is_saved_and_a_write_makes_it_stale(
    loaded: GraphStore, keys: tuple[KeyStore, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _configure(monkeypatch, loaded, tmp_path)
    builds = disk_cache.builds
    first = _partners(loaded, keys, files)  # nothing saved: built here, then saved
    assert disk_cache.builds == builds + 1
    [saved] = files.glob("*.pkl")
    assert disk_cache.read_header(saved)["version"] == loaded.version()

    _partners(loaded, keys, files)  # the next process loads it
    assert disk_cache.builds == builds + 1
    cache.clear()  # and so does the CLI (which adds the nodes it shows to the file)
    result = CliRunner().invoke(cli, ["partners", FIRM, "--json", "--exclude-existing"])
    assert result.exit_code == 0, result.output
    assert disk_cache.builds == builds + 1 and NEW_PARTNER in result.output

    _write(loaded)
    after = _partners(loaded, keys, files)  # the file is of the old version: built and saved anew
    assert disk_cache.builds == builds + 2
    [resaved] = files.glob("*.pkl")
    assert resaved != saved and not saved.exists()  # the old version's file is gone
    assert disk_cache.read_header(resaved)["version"] == loaded.version()
    assert after != first  # the new patent is part of the answer's evidence
    loads = disk_cache.loads
    assert _partners(loaded, keys, files) == after
    assert (disk_cache.builds, disk_cache.loads) == (builds + 2, loads + 1)


def test_a_write_while_serving_is_followed_from_a_saved_file(
    loaded: GraphStore, keys: tuple[KeyStore, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The running API's index goes stale on a write; the job has saved the new version's file,
    so the API's next index is loaded (on the rebuild, the previous index serving meanwhile)."""
    files = _configure(monkeypatch, loaded, tmp_path)
    cache.clear()
    with TestClient(create_app(loaded, keys=keys[0], public_read=True, index_files=files)) as client:
        assert client.get(PARTNERS).status_code == 200
        disk_cache.wait_for_saves(60)
        _write(loaded)
        _job("build")
        builds, loads = disk_cache.builds, disk_cache.loads
        deadline = time.monotonic() + 60
        while cache.current(loaded) is None and time.monotonic() < deadline:
            assert client.get(PARTNERS).status_code == 200
            time.sleep(0.05)
        assert cache.current(loaded) is not None
        assert (disk_cache.builds, disk_cache.loads) == (builds, loads + 1)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "writable by others"])
def test_a_damaged_or_foreign_file_is_rebuilt_with_a_fresh_builds_answers(
    loaded: GraphStore,
    keys: tuple[KeyStore, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    damage: str,
) -> None:
    files = _configure(monkeypatch, loaded, tmp_path)
    fresh = _partners(loaded, keys, None)
    _job("build")
    [saved] = files.glob("*.pkl")
    if damage == "truncated":
        saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])
    elif damage == "garbage":
        saved.write_bytes(pickle.dumps({"format": disk_cache.FORMAT, "version": 1}) + b"\x00not a pickle")
    else:
        saved.chmod(0o666)
    builds = disk_cache.builds
    with caplog.at_level(logging.WARNING, logger="match.disk_cache"):
        assert _partners(loaded, keys, files) == fresh
    assert disk_cache.builds == builds + 1
    [line] = [r.getMessage() for r in caplog.records if r.name == "match.disk_cache"]
    assert saved.name in line and "building the index instead" in line
    assert disk_cache.read_header(saved)["version"] == loaded.version()  # saved again, whole
    assert saved.stat().st_mode & 0o077 == 0


def test_a_failed_save_does_not_fail_the_request(
    loaded: GraphStore,
    keys: tuple[KeyStore, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _configure(monkeypatch, loaded, tmp_path)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")  # so the index directory cannot be made (as a full disk)
    with caplog.at_level(logging.WARNING, logger="match.disk_cache"):
        body = _partners(loaded, keys, blocked / "match-index")
    assert body["matches"][0]["candidate"]["id"] == NEW_PARTNER
    lines = [r.getMessage() for r in caplog.records if r.name == "match.disk_cache"]
    assert any("not saved" in line for line in lines), lines
    assert not list(tmp_path.glob("**/*.tmp"))


def test_index_build_and_status_end_to_end(
    loaded: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _configure(monkeypatch, loaded, tmp_path)
    version = loaded.version()
    missing = CliRunner().invoke(cli, ["index", "status"])
    assert missing.exit_code == 1 and f"version {version}: not saved" in missing.output

    built = _job("build").output
    assert f"version {version}: built and saved in" in built and "MiB" in built
    [saved] = files.glob("*.pkl")
    stamp = saved.stat().st_mtime_ns
    assert f"version {version}: saved" in _job("status").output

    again = _job("build").output
    assert "already saved" in again and saved.stat().st_mtime_ns == stamp
    forced = _job("build", "--force", "--json").output
    assert '"built": true' in forced and saved.stat().st_mtime_ns != stamp

    # The CLI's own commands answer from the job's file (no build of their own).
    builds = disk_cache.builds
    cache.clear()
    result = CliRunner().invoke(cli, ["partners", FIRM, "--json", "--exclude-existing"])
    assert result.exit_code == 0, result.output
    assert disk_cache.builds == builds and NEW_PARTNER in result.output


def test_job_mode_warm_up_loads_but_never_builds(
    loaded: GraphStore, keys: tuple[KeyStore, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _configure(monkeypatch, loaded, tmp_path)
    monkeypatch.setenv("INNOGRAPH_INDEX", "job")
    builds, loads = disk_cache.builds, disk_cache.loads

    def warm() -> None:
        cache.clear()
        app = create_app(loaded, keys=keys[0], public_read=True, index_files=files, warm_up=True)
        with TestClient(app):
            app.state.warm_up.join(120)

    warm()  # no file yet: the warm-up does not build
    assert disk_cache.builds == builds and cache.current(loaded) is None
    _job("build")
    builds = disk_cache.builds
    warm()  # the job's file: loaded by the warm-up
    assert cache.current(loaded) is not None
    assert (disk_cache.builds, disk_cache.loads) == (builds, loads + 1)

    monkeypatch.setenv("INNOGRAPH_INDEX", "sometimes")
    with pytest.raises(ValueError, match="INNOGRAPH_INDEX"):
        warm()


def test_two_writers_of_one_version_leave_one_whole_file(loaded: GraphStore, tmp_path: Path) -> None:
    """Two processes saving the same version at once (two workers built it): each writes its own
    partial file and renames it; the result is one whole file, no partial file left."""
    import threading

    index = cache.build_index(loaded)
    files = tmp_path / "match-index"
    path = disk_cache.path_for(loaded, index.version, files)
    writers = [threading.Thread(target=disk_cache.save, args=(index, path, None)) for _ in range(4)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    assert [p.name for p in files.iterdir()] == [path.name]
    assert disk_cache.load_file(loaded, index.version, files) is not None
    assert os.stat(path).st_mode & 0o077 == 0


def test_two_workers_missing_one_version_build_it_once(loaded: GraphStore, tmp_path: Path) -> None:
    """Two API processes that both miss the index of the current version: one builds (holding
    the version's build lock until its file is saved), the other waits and loads that file."""
    import threading

    files = tmp_path / "match-index"
    builds, loads = disk_cache.builds, disk_cache.loads
    start = threading.Barrier(2)
    got: list[Any] = []

    def worker() -> None:
        start.wait()
        got.append(disk_cache.IndexFiles(files).load_or_build(loaded, None))

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(300)
    disk_cache.wait_for_saves(60)
    assert len(got) == 2 and all(index.version == loaded.version() for index in got)
    assert (disk_cache.builds, disk_cache.loads) == (builds + 1, loads + 1)
    # Neither kept the lock: a third process takes it at once (not after some timeout).
    path = disk_cache.path_for(loaded, loaded.version(), files)
    third = threading.Thread(target=lambda: disk_cache._BuildLock.take(path).release(), daemon=True)
    third.start()
    third.join(10)
    assert not third.is_alive(), "a worker kept the build lock"


def test_the_job_reads_the_shown_nodes_in_batches_of_one_version(
    loaded: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One ``get_nodes`` for every actor and work passed Neo4j's 30 s read bound at ×100 and failed
    the job; batches keep each read short, and a write between two batches saves nothing."""
    files = _configure(monkeypatch, loaded, tmp_path)
    monkeypatch.setattr(disk_cache, "SHOWN_BATCH", 3)
    read = loaded.get_nodes
    asked: list[int] = []

    def get_nodes(node_ids: Any) -> Any:
        asked.append(len(node_ids))
        return read(node_ids)

    monkeypatch.setattr(loaded, "get_nodes", get_nodes)
    index = disk_cache.load_or_build(loaded, force=True)
    shown = disk_cache.saved_nodes(index)
    assert shown is not None and len(asked) > 2 and max(asked) <= 3
    ids = [*index.actors, *index.works]
    assert shown(ids) == {n.id: n for n in read(ids)}
    assert len(list(files.glob("*.pkl"))) == 1

    # A write between two batches: the nodes may be of two versions, so no file is saved.
    for saved in files.glob("*.pkl"):
        saved.unlink()
    cache.clear()
    asked.clear()

    def get_nodes_with_a_write(node_ids: Any) -> Any:
        asked.append(len(node_ids))
        if len(asked) == 2:
            _write(loaded)
        return read(node_ids)

    monkeypatch.setattr(loaded, "get_nodes", get_nodes_with_a_write)
    index = disk_cache.load_or_build(loaded, force=True)
    assert len(asked) > 2 and not list(files.glob("*.pkl"))
    assert disk_cache.saved_nodes(index) is None


def test_the_job_never_holds_every_shown_node_at_once(
    loaded: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At ×100 the job held every actor and work (3 GiB) beside the index before pickling them
    in one piece (peak 7.6 GiB against the build's 4.6): each batch read is now written to the
    file and let go before the next is read, and the file answers for all of them."""
    files = _configure(monkeypatch, loaded, tmp_path)
    monkeypatch.setattr(disk_cache, "SHOWN_BATCH", 3)
    monkeypatch.setattr(disk_cache, "SAVED_BATCH", 2, raising=False)
    read = loaded.get_nodes
    returned: list[weakref.ref[Node]] = []
    held: list[int] = []

    def get_nodes(node_ids: Any) -> Any:
        held.append(sum(r() is not None for r in returned))  # earlier reads' nodes still held
        fresh = [Node(n.id, n.label, dict(n.props)) for n in read(node_ids)]  # only the job's
        returned.extend(weakref.ref(n) for n in fresh)
        return fresh

    monkeypatch.setattr(loaded, "get_nodes", get_nodes)
    index = disk_cache.load_or_build(loaded, force=True)
    ids = [*index.actors, *index.works]
    assert len(held) == -(-len(ids) // 3) >= 5
    assert max(held) <= 3, f"nodes held while reading: {held}"
    cache.clear()
    [saved] = files.glob("*.pkl")
    shown = disk_cache.saved_nodes(disk_cache._load(saved))
    assert shown is not None and shown(ids) == {n.id: n for n in read(ids)}


def test_an_answer_reads_only_the_batches_it_shows_and_the_api_none(
    loaded: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _configure(monkeypatch, loaded, tmp_path)
    monkeypatch.setattr(disk_cache, "SAVED_BATCH", 2)
    disk_cache.load_or_build(loaded, force=True)
    cache.clear()
    [saved] = files.glob("*.pkl")
    index = disk_cache._load(saved)
    shown = disk_cache.saved_nodes(index)
    assert isinstance(shown, disk_cache._SavedNodes)
    assert shown([FIRM, "no-such-node"]) == {FIRM: loaded.get_node(FIRM)}
    assert shown.batches_read == 1
    last = index.works[-1]
    assert shown([last, FIRM]) == {last: loaded.get_node(last), FIRM: loaded.get_node(FIRM)}
    assert shown.batches_read == 2  # FIRM's batch is kept

    # The API's load never reads a batch: with every batch's bytes overwritten it still loads
    # (and answers), while a CLI answer from the damaged batches is refused, not misread.
    table = disk_cache._table(saved.open("rb"), saved.name)
    assert table is not None
    data = bytearray(saved.read_bytes())
    first, end = table["offsets"][0], table["offsets"][-1]
    data[first:end] = b"\xff" * (end - first)
    saved.write_bytes(bytes(data))
    api = disk_cache.load_file(loaded, loaded.version(), files)
    assert api is not None and disk_cache.saved_nodes(api) is None
    damaged = disk_cache.saved_nodes(disk_cache._load(saved))
    assert damaged is not None
    with pytest.raises(UnusableIndexFileError):
        damaged([FIRM])


@pytest.mark.parametrize("old", ["format 3", "cut short"])
def test_an_older_format_or_a_file_cut_short_is_rebuilt_never_misread(
    loaded: GraphStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    old: str,
) -> None:
    """Format 3 (header, index, every node in one pickle) under today's name, or today's file
    missing its last byte: the API's load refuses it (one warning, file removed) and the job
    builds it again, whole."""
    files = _configure(monkeypatch, loaded, tmp_path)
    index = disk_cache.load_or_build(loaded, force=True)
    [saved] = files.glob("*.pkl")
    if old == "format 3":
        state = {k: v for k, v in index.__dict__.items() if k not in ("_nlp", "nlp")}
        ids = [*index.actors, *index.works]
        with saved.open("wb") as fh:
            for part in (
                {"format": 3, "version": index.version, "code": "old", "saved": time.time()},
                state,
                {n.id: n for n in loaded.get_nodes(ids)},
            ):
                pickle.dump(part, fh)
    else:
        saved.write_bytes(saved.read_bytes()[:-1])
    saved.chmod(0o600)
    with caplog.at_level(logging.WARNING, logger="match.disk_cache"):
        assert disk_cache.load_file(loaded, loaded.version(), files) is None
    assert saved.name in caplog.text and not saved.exists()
    if old == "format 3":  # and the job, finding it, builds instead of reading it
        saved.write_bytes(b"")  # (a file of any other layout: rebuilt too)
        saved.chmod(0o600)
    cache.clear()
    builds = disk_cache.builds
    disk_cache.load_or_build(loaded)
    assert disk_cache.builds == builds + 1
    assert disk_cache.read_header(saved)["format"] == disk_cache.FORMAT == 4
    assert disk_cache.saved_nodes(disk_cache._load(saved)) is not None
