"""A truncated or corrupted embedded-store file is detected at start with a clear error; the
last good state is kept beside it and `innograph store restore` brings it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
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
    first, _ = _two_states(path)
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
    # The backup is the state before the last write: nothing older than one write is lost.
    assert graph_digest(EmbeddedStore(path)) == first


def test_checksum_error_names_the_restore_command(tmp_path: Path) -> None:
    path = tmp_path / "graph.innograph"
    _two_states(path)
    _damage(path, "truncate")
    with pytest.raises(StoreCorruptError, match="innograph store restore"):
        EmbeddedStore(path)


def test_restore_refuses_a_damaged_backup(tmp_path: Path) -> None:
    from graph.embedded import restore_backup

    path = tmp_path / "graph.innograph"
    _two_states(path)
    _damage(path, "truncate")
    _damage(path.with_name(path.name + ".bak"), "flip-byte")
    before = path.read_bytes()
    with pytest.raises(StoreCorruptError):
        restore_backup(path)
    assert path.read_bytes() == before  # nothing was overwritten with bad data


def test_a_leftover_temporary_file_from_a_crash_is_ignored(tmp_path: Path) -> None:
    """A crash between writing <file>.tmp and the rename leaves the old file authoritative."""
    path = tmp_path / "graph.innograph"
    _, second = _two_states(path)
    path.with_name(path.name + ".tmp").write_bytes(b"half a file")
    assert graph_digest(EmbeddedStore(path)) == second
