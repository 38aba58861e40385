"""The embedded store's files: a checksummed snapshot and an append-only journal.

``graph.innograph`` holds a snapshot: a one-line JSON header carrying a SHA-256 of the payload,
then the gzip'd JSON graph. It is written to a temporary file, fsync'd and renamed over the old
one, and the previous good snapshot is kept as ``graph.innograph.bak``.

``graph.innograph.journal`` holds every write since the snapshot, one line each:
``<sha256 of the JSON> <JSON>``, fsync'd before the write is acknowledged. A write therefore
costs what it changes, not the size of the graph; the journal is folded into a new snapshot
once it outgrows the snapshot (so total I/O stays within twice the data written).

A torn last journal line — a crash in the middle of an append, which was never acknowledged —
is dropped with a warning. Damage anywhere else (a bad checksum, a gap in the versions) is a
:class:`~graph.errors.StoreCorruptError` that names the file and the way back.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from graph.errors import StoreCorruptError

FORMAT = "innograph-embedded"
VERSION = 1
log = logging.getLogger(__name__)


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_snapshot(path: Path) -> dict[str, Any]:
    restore_hint = (
        f"the last good state is in {backup_path(path).name}; restore it with `innograph store restore`"
    )
    try:
        raw = path.read_bytes()
        header_line, _, payload = raw.partition(b"\n")
        header = json.loads(header_line)
    except (OSError, ValueError) as e:
        raise StoreCorruptError(f"{path}: unreadable header ({e}); {restore_hint}") from e
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StoreCorruptError(f"{path}: not an InnoGraph embedded store file; {restore_hint}")
    if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise StoreCorruptError(
            f"{path}: checksum mismatch — the file is truncated or corrupted ({restore_hint})"
        )
    try:
        data: dict[str, Any] = json.loads(gzip.decompress(payload))
    except (OSError, ValueError) as e:
        raise StoreCorruptError(f"{path}: payload does not decode ({e}); {restore_hint}") from e
    return data


def write_snapshot(path: Path, data: dict[str, Any], *, counts: dict[str, int]) -> int:
    """Write ``data`` atomically as the new snapshot; returns its size in bytes."""
    payload = gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 3)
    header = {"format": FORMAT, "version": VERSION, "sha256": hashlib.sha256(payload).hexdigest(), **counts}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    blob = json.dumps(header).encode() + b"\n" + payload
    with open(tmp, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    first = not path.exists()
    if not first:
        # Keep the last good snapshot: it is what `innograph store restore` brings back.
        shutil.copyfile(path, backup_path(path))
    os.replace(tmp, path)
    if first:
        shutil.copyfile(path, backup_path(path))  # a backup from the start: the journal builds on it
    _fsync_dir(path.parent)
    return len(blob)


def read_journal(path: Path, after_version: int, *, strict: bool = True) -> tuple[list[dict[str, Any]], int]:
    """The journal's entries newer than ``after_version``, in order, and the byte length of its
    good prefix. ``strict`` raises on damage before the last entry; otherwise reading stops there."""
    jpath = journal_path(path)
    if not jpath.exists():
        return [], 0
    raw = jpath.read_bytes()
    lines = raw.split(b"\n")
    torn_tail = lines[-1] != b""  # no final newline: the last append never completed
    complete = lines[:-1]
    entries: list[dict[str, Any]] = []
    expected, good_bytes = after_version + 1, 0
    for number, line in enumerate(complete, start=1):
        digest, _, body = line.partition(b" ")
        problem = None
        if hashlib.sha256(body).hexdigest().encode() != digest:
            problem = f"entry {number} is damaged"
        else:
            entry: dict[str, Any] = json.loads(body)
            version = int(entry["v"])
            if version > after_version and version != expected:
                problem = f"entry {number} has version {version}, expected {expected}"
        if problem is not None:
            if number == len(complete) and not torn_tail:
                log.warning("%s: dropping a damaged last entry (a write that never completed)", jpath)
                return entries, good_bytes
            if strict:
                raise StoreCorruptError(
                    f"{jpath}: {problem}; `innograph store restore` keeps the entries before it"
                )
            return entries, good_bytes
        if version > after_version:
            entries.append(entry)
            expected += 1
        good_bytes += len(line) + 1
    if torn_tail:
        log.warning("%s: dropping a torn last entry (a write that never completed)", jpath)
    return entries, good_bytes


class Journal:
    """Appends fsync'd, checksummed entries; ``size`` tells when to fold it into a snapshot."""

    def __init__(self, path: Path) -> None:
        self.path = journal_path(path)
        self.size = self.path.stat().st_size if self.path.exists() else 0
        self._needs_repair = self.size > 0

    def append(self, entry: dict[str, Any]) -> None:
        body = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
        line = hashlib.sha256(body).hexdigest().encode() + b" " + body + b"\n"
        if self._needs_repair:
            self._drop_torn_tail()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "ab") as fh:
            start = fh.tell()
            try:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
            except BaseException:
                fh.truncate(start)  # leave no half entry behind a write we report as failed
                raise
        self.size += len(line)

    def _drop_torn_tail(self) -> None:
        raw = self.path.read_bytes()
        keep = raw[: raw.rfind(b"\n") + 1] if not raw.endswith(b"\n") else raw
        if len(keep) != len(raw):
            with open(self.path, "r+b") as fh:
                fh.truncate(len(keep))
                os.fsync(fh.fileno())
        self.size = len(keep)
        self._needs_repair = False

    def reset(self) -> None:
        """Empty the journal (after its entries went into a snapshot)."""
        with open(self.path, "wb") as fh:
            fh.flush()
            os.fsync(fh.fileno())
        self.size = 0
        self._needs_repair = False


def restore_backup(path: Path) -> Path:
    """Bring the store back to its last good state.

    A damaged snapshot is replaced by the backup (checked first); a journal is cut back to its
    good prefix. Entries that no longer follow from the restored snapshot are set aside in
    ``<journal>.orphaned`` rather than deleted.
    """
    try:
        data = read_snapshot(path)
    except StoreCorruptError:
        backup = backup_path(path)
        if not backup.exists():
            raise StoreCorruptError(f"{path}: no backup file {backup.name} to restore") from None
        data = read_snapshot(backup)
        shutil.copyfile(backup, path)
    jpath = journal_path(path)
    if jpath.exists():
        _, good = read_journal(path, int(data.get("version", 0)), strict=False)
        raw = jpath.read_bytes()
        if good < len(raw):
            jpath.with_name(jpath.name + ".orphaned").write_bytes(raw[good:])
            with open(jpath, "r+b") as fh:
                fh.truncate(good)
                os.fsync(fh.fileno())
    return path
