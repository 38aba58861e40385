"""A truncated or corrupted embedded-store file is detected at start with a clear error; the
last good state is kept beside it and `innograph store restore` brings it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.embedded_files import StoreWriteError
from graph.errors import StoreCorruptError
from graph.model import NodeLabel
from tests.contract.fixture_graph import fixture_changes
from tests.security.harness import graph_digest


def _two_states(path: Path) -> tuple[str, str]:
    """Write twice; returns (digest after first write, digest after second)."""
    store = EmbeddedStore(path)
    store.apply(fixture_changes())
    first = graph_digest(store)
    extra = ChangeSet()
    extra.add_node(NodeLabel.ENTERPRISE, {"id": "ent:later", "name": "后来公司"})
    store.apply(extra)
    return first, graph_digest(store)


def _damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "flip-byte":
        i = len(raw) - 10
        path.write_bytes(raw[:i] + bytes([raw[i] ^ 0xFF]) + raw[i + 1 :])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage-header":
        path.write_bytes(b"\x00\x01garbage\n" + raw)
    elif how == "other-format":
        path.write_bytes(b'{"format": "something-else"}\n' + raw.partition(b"\n")[2])


@pytest.mark.parametrize("how", ["truncate", "flip-byte", "empty", "garbage-header", "other-format"])
def test_damaged_file_is_refused_at_start_and_restored(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from innograph_cli.main import app

    path = tmp_path / "graph.innograph"
    _, second = _two_states(path)
    _damage(path, how)

    with pytest.raises(StoreCorruptError) as caught:
        EmbeddedStore(path)
    assert str(path) in str(caught.value)

    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    stats = runner.invoke(app, ["stats"])  # any command that opens the store says what is wrong
    assert stats.exit_code == 1 and "graph.innograph" in stats.output

    restored = runner.invoke(app, ["store", "restore"])
    assert restored.exit_code == 0, restored.output
    # The backup snapshot plus the journal written since: restoring loses no acknowledged write.
    assert graph_digest(EmbeddedStore(path)) == second


def test_checksum_error_names_the_restore_command(tmp_path: Path) -> None:
    path = tmp_path / "graph.innograph"
    _two_states(path)
    _damage(path, "truncate")
    with pytest.raises(StoreCorruptError, match="innograph store restore"):
        EmbeddedStore(path)


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    from graph.embedded import restore

    path = tmp_path / "graph.innograph"
    _two_states(path)
    _damage(path, "truncate")
    _damage(path.with_name(path.name + ".bak"), "flip-byte")
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError):
        restore(path)
    assert path.read_bytes() == before  # nothing was overwritten with bad data


def test_a_leftover_temporary_file_from_a_crash_is_ignored(tmp_path: Path) -> None:
    """A crash between writing <file>.tmp and the rename leaves the old file authoritative."""
    path = tmp_path / "graph.innograph"
    _, second = _two_states(path)
    path.with_name(path.name + ".tmp").write_bytes(b"half a file")
    assert graph_digest(EmbeddedStore(path)) == second


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def test_writes_append_to_the_journal_not_the_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "graph.innograph"
    _two_states(path)
    snapshot_before = path.read_bytes()
    extra = ChangeSet()
    extra.add_node(NodeLabel.ENTERPRISE, {"id": "ent:third", "name": "第三公司"})
    store = EmbeddedStore(path)
    store.apply(extra)
    assert path.read_bytes() == snapshot_before  # a small write did not rewrite the graph
    assert b"ent:third" in _journal(path).read_bytes()
    assert EmbeddedStore(path).get_node("ent:third") is not None


def test_a_torn_last_journal_entry_is_dropped(tmp_path: Path) -> None:
    """A crash in the middle of an append: that write was never acknowledged, the rest stands."""
    path = tmp_path / "graph.innograph"
    _, second = _two_states(path)
    with open(_journal(path), "ab") as fh:
        fh.write(b'0123abcd {"op": "apply", "v": 9')  # half a line, no newline
    reopened = EmbeddedStore(path)
    assert graph_digest(reopened) == second
    later = ChangeSet()
    later.add_node(NodeLabel.ENTERPRISE, {"id": "ent:after-crash", "name": "崩溃后公司"})
    reopened.apply(later)  # the torn tail is cut off before the next append
    assert EmbeddedStore(path).get_node("ent:after-crash") is not None


def test_a_damaged_journal_entry_is_refused_and_restore_keeps_the_good_prefix(tmp_path: Path) -> None:
    from graph.embedded import restore

    path = tmp_path / "graph.innograph"
    store = EmbeddedStore(path)
    store.apply(fixture_changes())
    for name in ("甲", "乙", "丙"):
        one = ChangeSet()
        one.add_node(NodeLabel.ENTERPRISE, {"id": f"ent:{name}", "name": f"{name}公司"})
        store.apply(one)
    lines = _journal(path).read_bytes().split(b"\n")
    assert len(lines) == 5  # the fixture, three entries and the empty tail
    # The entry for 乙 no longer matches its checksum.
    lines[2] = lines[2].replace("乙".encode(), "丁".encode())
    _journal(path).write_bytes(b"\n".join(lines))
    with pytest.raises(StoreCorruptError, match=r"entry 3 \(version 3, byte \d+\) is damaged"):
        EmbeddedStore(path)
    restore(path, accept_loss=True)
    restored = EmbeddedStore(path)
    assert restored.get_node("ent:甲") is not None
    assert restored.get_node("ent:乙") is None and restored.get_node("ent:丙") is None
    assert _journal(path).with_name(_journal(path).name + ".orphaned").exists()  # set aside, not deleted


def test_a_failed_journal_write_leaves_memory_and_disk_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "graph.innograph"
    _, second = _two_states(path)
    store = EmbeddedStore(path)

    def full_disk(self: object, entry: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("graph.embedded_files.Journal.append", full_disk)
    change = ChangeSet()
    change.add_node(NodeLabel.ENTERPRISE, {"id": "ent:A", "name": "改名"})
    change.add_node(NodeLabel.ENTERPRISE, {"id": "ent:lost", "name": "未写入"})
    with pytest.raises(StoreWriteError, match="No space left on device — the write was NOT committed"):
        store.apply(change)
    assert graph_digest(store) == second
    monkeypatch.undo()
    assert graph_digest(EmbeddedStore(path)) == second


def test_the_journal_is_folded_into_a_snapshot_when_it_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("graph.embedded.MIN_JOURNAL_BYTES", 1)
    path = tmp_path / "graph.innograph"
    store = EmbeddedStore(path)
    store.apply(fixture_changes())
    first_snapshot = path.read_bytes()
    appended = 0
    for i in range(30):
        one = ChangeSet()
        one.add_node(NodeLabel.ENTERPRISE, {"id": f"ent:n{i}", "name": f"企业{i}", "description": "长" * 200})
        before = _journal(path).stat().st_size
        store.apply(one)
        appended += max(_journal(path).stat().st_size - before, 0)
    assert path.read_bytes() != first_snapshot  # the journal outgrew the snapshot and was folded in
    assert _journal(path).stat().st_size < appended
    assert graph_digest(EmbeddedStore(path)) == graph_digest(store)
