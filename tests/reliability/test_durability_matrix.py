"""The embedded store's crash/corruption matrix: a kill at each write phase, a flipped byte in
each file, a full disk at each phase. Every cell ends in the old graph, the new graph, or a
named error — and never loses an acknowledged write.

Kills are real: the write runs in a forked child that ``INNOGRAPH_FAULT=kill:<phase>`` makes
SIGKILL itself at that phase (what survives is what a crashed process leaves: the page cache,
not a power cut). A full disk is ``INNOGRAPH_FAULT=enospc:<phase>``, and once for real on a
small tmpfs where this machine allows mounting one.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore, restore
from graph.embedded_files import (
    FAULT_ENV,
    PHASES,
    RestoreWouldLoseError,
    StoreWriteError,
    backup_path,
    journal_path,
    orphaned_path,
)
from graph.errors import StoreCorruptError
from graph.model import NodeLabel
from tests.contract.fixture_graph import fixture_changes
from tests.security.harness import graph_digest


def one_node(name: str, *, size: int = 0) -> ChangeSet:
    change = ChangeSet()
    props = {"id": f"ent:{name}", "name": f"{name}公司"}
    if size:
        props["description"] = os.urandom(size).hex()
    change.add_node(NodeLabel.ENTERPRISE, props)
    return change


def folded_store(path: Path, monkeypatch: pytest.MonkeyPatch, *, journal_entries: int = 3) -> list[str]:
    """The state after `demo build` plus some writes: the fixture graph folded into the
    snapshot and its backup, then ``journal_entries`` writes in the journal. Returns digests
    after each write (the first is the folded state)."""
    monkeypatch.setattr("graph.embedded.MIN_JOURNAL_BYTES", 1 << 40)
    store = EmbeddedStore(path)
    store.apply(one_node("seed"))  # an earlier state, so a fold has a predecessor to replace
    monkeypatch.setattr("graph.embedded.MIN_JOURNAL_BYTES", 1)
    store.apply(fixture_changes())  # the journal outgrows the snapshot: folded
    assert not journal_path(path).exists() or journal_path(path).stat().st_size == 0
    monkeypatch.setattr("graph.embedded.MIN_JOURNAL_BYTES", 1 << 40)
    digests = [graph_digest(store)]
    for i in range(journal_entries):
        store.apply(one_node(f"j{i}"))
        digests.append(graph_digest(store))
    return digests


def flip(path: Path, at: float) -> None:
    raw = bytearray(path.read_bytes())
    i = min(int(len(raw) * at), len(raw) - 2)  # never the final newline: that is a torn tail
    raw[i] ^= 0x01
    path.write_bytes(bytes(raw))


def journal_line_offset(path: Path, number: int) -> float:
    """A fraction of the journal that falls inside line ``number`` (1-based)."""
    raw = journal_path(path).read_bytes()
    starts = [0] + [i + 1 for i, b in enumerate(raw) if b == ord("\n")]
    middle = (starts[number - 1] + starts[number]) // 2
    return middle / len(raw)


# -- kill at each phase ------------------------------------------------------------------------


def write_in_child(path: Path, change: ChangeSet, fault: str, *, fold: bool) -> int:
    """Fork; the child opens the store and applies ``change`` with the fault armed. Returns the
    signal that ended the child (0 if it finished the write)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.environ[FAULT_ENV] = fault
            import graph.embedded

            graph.embedded.MIN_JOURNAL_BYTES = 1 if fold else 1 << 40
            EmbeddedStore(path).apply(change)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return os.WTERMSIG(status)
    assert os.WEXITSTATUS(status) == 0, f"child failed with {fault}"
    return 0


@pytest.mark.parametrize("phase", PHASES)
def test_kill_at_each_write_phase_leaves_old_or_new_graph(
    phase: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "graph.innograph"
    digests = folded_store(path, monkeypatch)
    old = digests[-1]
    big = one_node("in-flight", size=4000)  # outgrows the journal threshold when folding is on
    signal_number = write_in_child(path, big, f"kill:{phase}", fold=True)
    assert signal_number == signal.SIGKILL  # the process really died at that phase

    reopened = EmbeddedStore(path)  # opens without restore: no cell needs a human
    after = graph_digest(reopened)
    in_flight = reopened.get_node("ent:in-flight") is not None
    # Before the journal's fsync the write was not acknowledged and may or may not survive (a
    # killed process leaves the page cache); from the fold on it was committed and must be there.
    expected_new = phase not in ("append",)
    assert in_flight == expected_new, f"{phase}: in-flight write present={in_flight}"
    assert after != old if expected_new else after == old
    for i in range(3):
        assert reopened.get_node(f"ent:j{i}") is not None  # every acknowledged write

    # The store keeps working after the crash: the next write lands and survives a reopen.
    reopened.apply(one_node("after-crash"))
    final = EmbeddedStore(path)
    assert final.get_node("ent:after-crash") is not None
    assert graph_digest(final) == graph_digest(reopened)
    # And either snapshot can still rebuild it: damage the main one and restore.
    flip(path, 0.5)
    report = restore(path)
    assert not report.lost
    assert graph_digest(EmbeddedStore(path)) == graph_digest(reopened)


def test_a_torn_tail_is_cut_before_the_next_append(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "graph.innograph"
    folded_store(path, monkeypatch)
    assert write_in_child(path, one_node("torn", size=500), "kill:append", fold=False) == signal.SIGKILL
    assert not journal_path(path).read_bytes().endswith(b"\n")  # half a line on disk
    store = EmbeddedStore(path)
    store.apply(one_node("next"))
    assert journal_path(path).read_bytes().count(b"\n") == 4  # 3 + the new one; no torn bytes
    assert graph_digest(EmbeddedStore(path)) == graph_digest(store)


# -- a flipped byte in each file ---------------------------------------------------------------


def test_flipped_snapshot_after_a_fold_restores_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #17 scenario 1: the backup used to be the snapshot *before* the fold, and the
    journal was emptied at the fold, so restore brought back the old graph with exit 0."""
    from typer.testing import CliRunner

    from innograph_cli.main import app

    path = tmp_path / "graph.innograph"
    digests = folded_store(path, monkeypatch, journal_entries=0)
    flip(path, 0.5)
    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(app, ["stats"]).exit_code == 1
    restored = runner.invoke(app, ["store", "restore"])
    assert restored.exit_code == 0, restored.output
    assert graph_digest(EmbeddedStore(path)) == digests[-1]


@pytest.mark.parametrize("where", ["snapshot", "backup"])
def test_flipped_snapshot_or_backup_loses_nothing(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "graph.innograph"
    digests = folded_store(path, monkeypatch)
    if where == "snapshot":
        flip(path, 0.5)
        with pytest.raises(StoreCorruptError, match=r"graph\.innograph: checksum mismatch"):
            EmbeddedStore(path)
        report = restore(path)
        assert report.snapshot_used == backup_path(path).name and report.replayed == 3
        assert report.damaged_files == [path.name] and not report.lost
    else:
        flip(backup_path(path), 0.5)
        # The main snapshot is sound: the store opens, and mends the second copy at once.
        assert graph_digest(EmbeddedStore(path)) == digests[-1]
        flip(path, 0.5)  # now the other copy fails too: the mended backup carries the graph
        restore(path)
    assert graph_digest(EmbeddedStore(path)) == digests[-1]


@pytest.mark.parametrize(("line", "name"), [(1, "head"), (2, "middle"), (3, "tail")])
def test_flipped_journal_entry_is_a_named_error_never_a_silent_drop(
    line: int, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #17 scenario 2 (the tail cell): a damaged last entry used to be dropped as "a
    write that never completed", though it was acknowledged."""
    path = tmp_path / "graph.innograph"
    digests = folded_store(path, monkeypatch)
    flip(journal_path(path), journal_line_offset(path, line))
    before = {f: f.read_bytes() for f in (path, backup_path(path), journal_path(path))}
    with pytest.raises(StoreCorruptError, match=rf"entry {line} \(version \d+, byte \d+\) is damaged"):
        EmbeddedStore(path)
    # Restore refuses to drop it silently and changes nothing…
    with pytest.raises(RestoreWouldLoseError, match=rf"would lose {4 - line} acknowledged entries"):
        restore(path)
    assert {f: f.read_bytes() for f in before} == before
    # …and with the loss accepted keeps the good prefix and sets the rest aside, not deleted.
    report = restore(path, accept_loss=True)
    assert len(report.lost) == 4 - line and report.replayed == line - 1
    assert graph_digest(EmbeddedStore(path)) == digests[line - 1]
    assert orphaned_path(path).read_bytes().count(b"\n") == 4 - line


def test_damaged_last_entry_is_reported_by_the_cli_and_nothing_is_appended_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from innograph_cli.main import app

    path = tmp_path / "graph.innograph"
    folded_store(path, monkeypatch)
    flip(journal_path(path), journal_line_offset(path, 3))
    journal_before = journal_path(path).read_bytes()
    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    stats = runner.invoke(app, ["stats"])
    assert stats.exit_code == 1 and "entry 3" in stats.output
    refused = runner.invoke(app, ["store", "restore"])
    assert refused.exit_code == 1 and "--accept-loss" in refused.output
    assert journal_path(path).read_bytes() == journal_before
    accepted = runner.invoke(app, ["store", "restore", "--accept-loss"])
    assert accepted.exit_code == 0 and "NOT recovered (1 acknowledged entries" in accepted.output


def test_restore_on_a_sound_store_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "graph.innograph"
    folded_store(path, monkeypatch)
    before = {f: f.read_bytes() for f in (path, backup_path(path), journal_path(path))}
    report = restore(path)
    assert not report.changed and "nothing to restore" in report.lines()[0]
    assert {f: f.read_bytes() for f in before} == before


def test_a_missing_snapshot_beside_a_journal_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "graph.innograph"
    digests = folded_store(path, monkeypatch)
    path.unlink()
    with pytest.raises(StoreCorruptError, match="is missing"):
        EmbeddedStore(path)  # starting afresh would empty the journal at the next fold
    restore(path)
    assert graph_digest(EmbeddedStore(path)) == digests[-1]


def test_store_files_are_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = os.umask(0o022)  # a umask that would leave files world-readable
    try:
        path = tmp_path / "graph.innograph"
        folded_store(path, monkeypatch, journal_entries=1)
    finally:
        os.umask(old)
    for f in (path, backup_path(path), journal_path(path)):
        assert f.stat().st_mode & 0o777 == 0o600, f


# -- a full disk at each phase -----------------------------------------------------------------


@pytest.mark.parametrize("phase", PHASES)
def test_full_disk_at_each_phase_says_whether_it_was_committed(
    phase: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "graph.innograph"
    digests = folded_store(path, monkeypatch)
    store = EmbeddedStore(path)
    monkeypatch.setattr("graph.embedded.MIN_JOURNAL_BYTES", 1)
    monkeypatch.setenv(FAULT_ENV, f"enospc:{phase}")
    committed = phase not in ("append", "fsync")
    if committed:
        store.apply(one_node("late", size=4000))  # acknowledged: the fold's failure is a warning
        assert "the write WAS committed" in caplog.text
    else:
        with pytest.raises(StoreWriteError, match="NOT committed"):
            store.apply(one_node("late", size=4000))
        assert graph_digest(store) == digests[-1]  # memory equals the disk
    monkeypatch.delenv(FAULT_ENV)
    assert not list(tmp_path.glob("*.tmp"))  # no half file left to keep the disk full
    reopened = EmbeddedStore(path)
    assert (reopened.get_node("ent:late") is not None) == committed
    assert graph_digest(reopened) == graph_digest(store)


def test_a_fold_checks_free_space_first_and_names_the_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "graph.innograph"
    folded_store(path, monkeypatch)
    monkeypatch.setattr("graph.embedded_files.FREE_SPACE_MARGIN", 1 << 60)
    monkeypatch.setattr("graph.embedded.MIN_JOURNAL_BYTES", 1)
    store = EmbeddedStore(path)
    store.apply(one_node("late", size=4000))
    assert "needs" in caplog.text and "MiB free" in caplog.text
    assert not list(tmp_path.glob("*.tmp"))
    assert EmbeddedStore(path).get_node("ent:late") is not None


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs, where this machine lets the tests mount one (root in a container)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _free(directory: Path) -> int:
    st = os.statvfs(directory)
    return st.f_bavail * st.f_frsize


def test_real_full_disk_cli(tiny_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #17 scenario 3 on a real full disk: the CLI did not say whether the run was
    committed, and a failed fold left a half ``.tmp`` keeping the disk full."""
    from typer.testing import CliRunner

    from graph.backup import export_graph
    from innograph_cli.main import app

    source = EmbeddedStore()
    source.apply(fixture_changes())
    for i in range(40):  # ~600 kB of hex in the journal; gzip keeps a bit over half of it
        source.apply(one_node(f"big{i}", size=7500))
    export_graph(source, tmp_path / "export")
    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tiny_disk))
    runner = CliRunner()
    path = tiny_disk / "graph.innograph"
    assert runner.invoke(app, ["import", str(tmp_path / "export")]).exit_code == 0
    entry = 700_000  # what one more import appends to the journal, rounded up

    # Room for the journal entry, not for a fold: committed, and the user is told so.
    (tiny_disk / "ballast").write_bytes(b"\0" * (_free(tiny_disk) - entry - 64 * 1024))
    folded_too_big = runner.invoke(app, ["import", str(tmp_path / "export")])
    assert "Traceback" not in folded_too_big.output
    assert folded_too_big.exit_code == 0 and "WAS committed" in folded_too_big.output
    assert "MiB free" in folded_too_big.output  # the size a fold needs is named
    assert not list(tiny_disk.glob("*.tmp")), "a half-written temporary file fills the disk"

    # No room for the journal entry either: not committed, and the graph is as it was.
    (tiny_disk / "ballast2").write_bytes(b"\0" * max(_free(tiny_disk) - 64 * 1024, 0))
    before = graph_digest(EmbeddedStore(path))
    refused = runner.invoke(app, ["import", str(tmp_path / "export")])
    assert refused.exit_code == 1 and "NOT committed" in refused.output, refused.output
    assert "Traceback" not in refused.output
    assert not list(tiny_disk.glob("*.tmp"))
    assert graph_digest(EmbeddedStore(path)) == before


# -- property: random writes, crashes, damage and restores never lose an acknowledged write ----

_steps = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 3000)),
        st.tuples(st.just("kill"), st.sampled_from(PHASES)),
        st.tuples(st.just("enospc"), st.sampled_from(PHASES)),
        st.tuples(st.just("damage"), st.sampled_from(["snapshot", "backup"])),
        st.tuples(st.just("restore"), st.just("")),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_steps, fold=st.booleans())
def test_no_acknowledged_write_is_ever_lost(
    steps: list[tuple[str, object]], fold: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import graph.embedded

    path = tmp_path_factory.mktemp("prop") / "graph.innograph"
    acknowledged: set[str] = set()
    refused: set[str] = set()
    saved = graph.embedded.MIN_JOURNAL_BYTES
    graph.embedded.MIN_JOURNAL_BYTES = 1 if fold else 1 << 40
    try:
        for n, (kind, arg) in enumerate(steps):
            name = f"w{n}"
            if kind == "write":
                EmbeddedStore(path).apply(one_node(name, size=int(str(arg))))
                acknowledged.add(name)
            elif kind == "kill":
                write_in_child(path, one_node(name, size=2000), f"kill:{arg}", fold=fold)
            elif kind == "enospc":
                os.environ[FAULT_ENV] = f"enospc:{arg}"
                try:
                    EmbeddedStore(path).apply(one_node(name, size=2000))
                    acknowledged.add(name)
                except StoreWriteError:
                    refused.add(name)
                finally:
                    del os.environ[FAULT_ENV]
            elif kind == "damage" and path.exists():
                target = path if arg == "snapshot" else backup_path(path)
                if target.exists():
                    flip(target, 0.5)
            elif kind == "restore" and (path.exists() or backup_path(path).exists()):
                assert not restore(path).lost
            try:
                store = EmbeddedStore(path)
            except StoreCorruptError:
                report = restore(path)  # must never need --accept-loss: only snapshots were hit
                assert not report.lost
                store = EmbeddedStore(path)
            present = {node.id.removeprefix("ent:") for node in store.nodes(NodeLabel.ENTERPRISE)}
            assert acknowledged <= present, f"lost {acknowledged - present} after {steps[: n + 1]}"
            assert not refused & present, f"a refused write appeared: {refused & present}"
    finally:
        graph.embedded.MIN_JOURNAL_BYTES = saved
        os.environ.pop(FAULT_ENV, None)


def test_exports_are_owner_only(tmp_path: Path) -> None:
    from graph.backup import export_graph

    store = EmbeddedStore()
    store.apply(fixture_changes())
    old = os.umask(0o022)
    try:
        export_graph(store, tmp_path / "export")
    finally:
        os.umask(old)
    files = [f for f in (tmp_path / "export").rglob("*") if f.is_file()]
    assert files and all(f.stat().st_mode & 0o777 == 0o600 for f in files)


def test_a_store_written_by_the_old_fold_gets_a_backup_that_covers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before this change a fold kept the *previous* snapshot as the backup and emptied the
    journal. Opening such a store rewrites the backup, so a later damaged snapshot still
    restores everything."""
    path = tmp_path / "graph.innograph"
    monkeypatch.setattr("graph.embedded.MIN_JOURNAL_BYTES", 1 << 40)
    EmbeddedStore(path).apply(one_node("seed"))
    folded = folded_store(tmp_path / "new" / "graph.innograph", monkeypatch, journal_entries=0)
    # The old layout: a snapshot with everything, the backup before it, an empty journal.
    old_backup = EmbeddedStore(path)
    old_backup._fold()  # the seed-only state as a snapshot
    backup_path(path).write_bytes(path.read_bytes())
    path.write_bytes((tmp_path / "new" / "graph.innograph").read_bytes())
    journal_path(path).write_bytes(b"")
    assert graph_digest(EmbeddedStore(path)) == folded[-1]  # opening mends the backup
    flip(path, 0.5)
    report = restore(path)
    assert not report.lost
    assert graph_digest(EmbeddedStore(path)) == folded[-1]
