"""The embedded store's files: a checksummed snapshot, its backup, and an append-only journal.

The guarantee, in one sentence: **every acknowledged write can be rebuilt from two snapshots
that fail independently — ``graph.innograph`` and ``graph.innograph.bak`` — each together
with the journal, which is emptied only once both snapshots hold its entries.**

``graph.innograph`` holds a snapshot: a one-line JSON header carrying a SHA-256 of the payload,
then the gzip'd JSON graph. ``graph.innograph.journal`` holds every write since, one line each:
``<sha256 of the JSON> <JSON>``, fsync'd before the write is acknowledged, versions consecutive.
A fold (when the journal outgrows the snapshot) goes: new snapshot to ``.tmp``, fsync, rename
over ``graph.innograph``; the same bytes to ``.bak.tmp``, fsync, rename over the backup; only
then the journal is emptied. A crash between any two steps leaves one of the two snapshots
plus the (still full) journal able to rebuild everything acknowledged.

A journal line without its final newline is an append that never completed — never
acknowledged — and it is cut off before the next append. A complete line that fails its
checksum *was* acknowledged: it is a :class:`~graph.errors.StoreCorruptError` naming the entry,
never a silent drop. :func:`restore` rebuilds from whichever snapshot gets furthest, reports
exactly what it recovered, and refuses to throw away an acknowledged entry unless told to.

Every file is created owner-only (0600): the graph holds contact data.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import logging
import os
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import InvariantError, StoreCorruptError
from graph.errors import StoreFullError as StoreFullError
from graph.errors import StoreWriteError as StoreWriteError

FORMAT = "innograph-embedded"
VERSION = 1
#: Owner read/write only, whatever the umask.
FILE_MODE = 0o600
#: Headroom kept free on top of the bytes a fold writes (file-system metadata, the journal).
FREE_SPACE_MARGIN = 1024 * 1024
#: Fault injection for the crash/corruption tests: ``INNOGRAPH_FAULT=<action>:<phase>`` with
#: action ``kill`` (SIGKILL this process) or ``enospc`` (fail as a full disk) at a phase in
#: :data:`PHASES`. Unset in normal use; reading one environment variable per phase is free.
FAULT_ENV = "INNOGRAPH_FAULT"
PHASES = ("append", "fsync", "fold", "rename", "backup", "trim")
log = logging.getLogger(__name__)


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def orphaned_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal.orphaned")


def _fault(phase: str) -> None:
    """Crash or fail here if the fault-injection variable names this phase."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    action, _, where = spec.partition(":")
    if where != phase:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_private(path: Path, flags: int) -> int:
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # a file left by an older version may be world-readable
    return fd


def _write_file(path: Path, blob: bytes, *, phase: str) -> None:
    """``blob`` into ``path`` via ``<path>.tmp``, fsync'd and renamed; no temporary file is
    left behind when it fails (a full disk must not stay full)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        fd = _open_private(tmp, os.O_WRONLY | os.O_TRUNC)
        with os.fdopen(fd, "wb") as fh:
            half = len(blob) // 2
            fh.write(blob[:half])
            fh.flush()
            _fault(phase)  # a crash or a full disk half-way through the file
            fh.write(blob[half:])
            fh.flush()
            os.fsync(fh.fileno())
        if phase == "fold":
            _fault("rename")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _restore_hint(path: Path) -> str:
    return f"run `innograph store restore` to rebuild it from {backup_path(path).name} and the journal"


def read_snapshot(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        header_line, _, payload = raw.partition(b"\n")
        header = json.loads(header_line)
    except (OSError, ValueError) as e:
        raise StoreCorruptError(f"{path}: unreadable header ({e}); {_restore_hint(path)}") from e
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StoreCorruptError(f"{path}: not an InnoGraph embedded store file; {_restore_hint(path)}")
    if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise StoreCorruptError(
            f"{path}: checksum mismatch — the file is truncated or corrupted; {_restore_hint(path)}"
        )
    try:
        data: dict[str, Any] = json.loads(gzip.decompress(payload))
    except (OSError, ValueError) as e:
        raise StoreCorruptError(f"{path}: payload does not decode ({e}); {_restore_hint(path)}") from e
    return data


def snapshot_is_sound(path: Path) -> bool:
    """The header parses and the payload matches its checksum (no decompression)."""
    try:
        header_line, _, payload = path.read_bytes().partition(b"\n")
        header = json.loads(header_line)
    except (OSError, ValueError):
        return False
    return (
        isinstance(header, dict)
        and header.get("format") == FORMAT
        and hashlib.sha256(payload).hexdigest() == header.get("sha256")
    )


def backup_covers(path: Path, version: int) -> bool:
    """Whether the backup, with the journal, rebuilds at least ``version`` (the sound
    snapshot's). False for a damaged backup, and for a store written before the backup was
    refreshed at every fold (its backup is the snapshot before, the journal starts after)."""
    backup = backup_path(path)
    if not snapshot_is_sound(backup):
        return False
    if backup.read_bytes() == path.read_bytes():
        return True
    backup_version = int(read_snapshot(backup).get("version", 0))  # rare: a fold cut short
    versions = [line.version for line in scan_journal(path).lines if line.version is not None]
    return backup_version >= version or (bool(versions) and min(versions) <= backup_version + 1)


def encode_snapshot(data: dict[str, Any], *, counts: dict[str, int]) -> bytes:
    payload = gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 3)
    header = {"format": FORMAT, "version": VERSION, "sha256": hashlib.sha256(payload).hexdigest(), **counts}
    return json.dumps(header).encode() + b"\n" + payload


def check_free_space(directory: Path, needed: int, *, what: str) -> None:
    free = shutil.disk_usage(directory).free
    if free < needed + FREE_SPACE_MARGIN:
        raise StoreFullError(
            f"{what} needs {_mib(needed + FREE_SPACE_MARGIN)} free in {directory}, only {_mib(free)} left"
        )


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def write_snapshot(path: Path, blob: bytes) -> None:
    """Fold: ``blob`` becomes the snapshot, then its backup. The caller empties the journal
    afterwards; until then the journal still holds everything either snapshot lacks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    check_free_space(path.parent, len(blob), what=f"writing {path.name}")
    _write_file(path, blob, phase="fold")
    _write_file(backup_path(path), blob, phase="backup")
    _fault("trim")


def write_backup(path: Path) -> None:
    """Rewrite ``<path>.bak`` from ``path`` (which the caller has found sound)."""
    _write_file(backup_path(path), path.read_bytes(), phase="backup")


# -- the journal ---------------------------------------------------------------------------


@dataclass
class JournalLine:
    number: int  # 1-based line number in the journal
    offset: int  # byte offset of the line
    raw: bytes  # without the newline
    entry: dict[str, Any] | None  # None when the checksum fails
    version: int | None  # known from the entry, or inferred from its neighbours


@dataclass
class JournalScan:
    lines: list[JournalLine] = field(default_factory=list)
    torn_bytes: int = 0  # bytes after the last newline: an append that never completed

    @property
    def complete_bytes(self) -> int:
        return sum(len(line.raw) + 1 for line in self.lines)


def scan_journal(path: Path) -> JournalScan:
    """Every complete journal line with its checksum verdict; damaged lines get the version
    their position implies (appends are consecutive), so a report can name it."""
    jpath = journal_path(path)
    scan = JournalScan()
    if not jpath.exists():
        return scan
    raw = jpath.read_bytes()
    *complete, tail = raw.split(b"\n")
    scan.torn_bytes = len(tail)
    offset = 0
    for number, raw_line in enumerate(complete, start=1):
        digest, _, body = raw_line.partition(b" ")
        entry: dict[str, Any] | None = None
        if hashlib.sha256(body).hexdigest().encode() == digest:
            try:
                entry = json.loads(body)
            except ValueError:
                entry = None
        version = int(entry["v"]) if entry is not None else None
        scan.lines.append(JournalLine(number, offset, raw_line, entry, version))
        offset += len(raw_line) + 1
    anchor = next(((i, line.version) for i, line in enumerate(scan.lines) if line.version is not None), None)
    if anchor is not None:
        at, base = anchor
        for i, line in enumerate(scan.lines):
            if line.version is None:
                line.version = base + i - at
    return scan


def _describe(line: JournalLine) -> str:
    version = f"version {line.version}" if line.version is not None else "version unknown"
    return f"entry {line.number} ({version}, byte {line.offset})"


def read_journal(path: Path, after_version: int) -> tuple[list[dict[str, Any]], int]:
    """The journal's entries newer than ``after_version``, in order, and the byte length of its
    complete lines. Any damaged or out-of-sequence complete line raises, naming it."""
    jpath = journal_path(path)
    scan = scan_journal(path)
    entries: list[dict[str, Any]] = []
    expected = after_version + 1
    for line in scan.lines:
        if line.entry is None:
            raise StoreCorruptError(
                f"{jpath}: {_describe(line)} is damaged — it was acknowledged, so it is not "
                f"dropped; {_restore_hint(path)}, which reports what it can and cannot recover"
            )
        if line.version is None:  # the version is read from the entry: both or neither
            raise InvariantError(f"{jpath}: {_describe(line)} has an entry but no version")
        if line.version <= after_version:
            continue  # already in the snapshot (a fold that crashed before emptying the journal)
        if line.version != expected:
            raise StoreCorruptError(
                f"{jpath}: {_describe(line)} follows version {expected - 1}; {_restore_hint(path)}"
            )
        entries.append(line.entry)
        expected += 1
    if scan.torn_bytes:
        log.warning("%s: ignoring %d bytes of an append that never completed", jpath, scan.torn_bytes)
    return entries, scan.complete_bytes


class Journal:
    """Appends fsync'd, checksummed entries; ``size`` tells when to fold it into a snapshot.

    ``good_bytes`` is the length of the journal's complete lines as read at open: anything past
    it is a torn append, cut off before the first new entry goes in.
    """

    def __init__(self, path: Path, good_bytes: int = 0) -> None:
        self.path = journal_path(path)
        self.size = good_bytes
        self._cut_at: int | None = good_bytes

    def append(self, entry: dict[str, Any]) -> None:
        body = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
        line = hashlib.sha256(body).hexdigest().encode() + b" " + body + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = _open_private(self.path, os.O_RDWR)
        try:
            if self._cut_at is not None:
                if os.fstat(fd).st_size != self._cut_at:
                    os.ftruncate(fd, self._cut_at)  # the torn tail goes before a new entry
                    os.fsync(fd)
                self._cut_at = None
            start = self.size
            os.lseek(fd, start, os.SEEK_SET)
            try:
                half = len(line) // 2
                _write_all(fd, line[:half])
                _fault("append")
                _write_all(fd, line[half:])
                _fault("fsync")
                os.fsync(fd)
            except BaseException:
                # Leave no half entry behind a write reported as failed.
                os.ftruncate(fd, start)
                raise
        finally:
            os.close(fd)
        self.size += len(line)

    def reset(self) -> None:
        """Empty the journal (once both snapshots hold its entries)."""
        fd = _open_private(self.path, os.O_WRONLY | os.O_TRUNC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.size = 0
        self._cut_at = None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


# -- restore -------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    """What ``innograph store restore`` found, used, and could not recover."""

    path: Path
    snapshot_used: str = ""  # file name of the snapshot the store was rebuilt from
    snapshot_version: int = 0
    replayed: int = 0  # journal entries replayed on it
    version: int = 0  # the store's version after the restore
    damaged_files: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # acknowledged entries that cannot be recovered
    torn_bytes: int = 0
    changed: bool = False

    def lines(self) -> list[str]:
        out = [
            f"rebuilt {self.path.name} from {self.snapshot_used} (version {self.snapshot_version}) "
            f"+ {self.replayed} journal entries → version {self.version}"
        ]
        if self.damaged_files:
            out.append("damaged and replaced: " + ", ".join(self.damaged_files))
        if self.torn_bytes:
            out.append(
                f"dropped {self.torn_bytes} bytes of an append that never completed (not acknowledged)"
            )
        if self.lost:
            out.append(
                f"NOT recovered ({len(self.lost)} acknowledged entries, kept in "
                f"{orphaned_path(self.path).name}): " + "; ".join(self.lost)
            )
        else:
            out.append("every acknowledged write was recovered")
        if not self.changed:
            out = [f"{self.path.name} is sound (version {self.version}); nothing to restore"]
        return out


class RestoreWouldLoseError(StoreCorruptError):
    """Restoring would set acknowledged journal entries aside; refused unless accepted."""

    def __init__(self, report: RestoreReport) -> None:
        super().__init__(
            f"{journal_path(report.path)}: restoring would lose {len(report.lost)} acknowledged "
            f"entries ({'; '.join(report.lost)}); nothing was changed. Keep a copy of the files, "
            "then re-run with --accept-loss to rebuild version "
            f"{report.version} and set those entries aside in {orphaned_path(report.path).name}"
        )
        self.report = report


def restore(path: Path, *, accept_loss: bool = False) -> RestoreReport:
    """Rebuild the store from whichever snapshot, with the journal, reaches furthest.

    Leaves both snapshot files sound and equal and the journal holding exactly the entries
    after them. Acknowledged entries that cannot be replayed (damaged, or after a damaged one)
    make it refuse with :class:`RestoreWouldLoseError` unless ``accept_loss``; then they are
    moved to ``<journal>.orphaned``, never deleted.
    """
    report = RestoreReport(path)
    candidates: list[tuple[str, Path, dict[str, Any]]] = []
    for file in (path, backup_path(path)):
        try:
            candidates.append((file.name, file, read_snapshot(file)))
        except StoreCorruptError:
            if file.exists() or file == path:
                report.damaged_files.append(file.name)
    if not candidates:
        raise StoreCorruptError(
            f"{path} and {backup_path(path).name} are both missing or damaged; nothing was changed "
            "(an `innograph export` directory can be loaded with `innograph import`)"
        )
    scan = scan_journal(path)
    report.torn_bytes = scan.torn_bytes

    def reach(version: int) -> tuple[int, list[JournalLine]]:
        used: list[JournalLine] = []
        for line in scan.lines:
            if line.version is None or line.version <= version:
                continue
            if line.entry is None or line.version != version + len(used) + 1:
                break
            used.append(line)
        return version + len(used), used

    best = max(candidates, key=lambda c: reach(int(c[2].get("version", 0)))[0])  # main wins a tie
    name, source, data = best
    report.snapshot_used = name
    report.snapshot_version = int(data.get("version", 0))
    report.version, used = reach(report.snapshot_version)
    report.replayed = len(used)
    kept = {line.number for line in used}
    unusable = [
        line
        for line in scan.lines
        if line.number not in kept and (line.version is None or line.version > report.version)
    ]
    report.lost = [_describe(line) + (" damaged" if line.entry is None else "") for line in unusable]
    stale_backup = backup_path(path).name not in [c[0] for c in candidates] or source != path
    report.changed = bool(
        report.damaged_files or unusable or scan.torn_bytes or stale_backup or len(used) < len(scan.lines)
    )
    if unusable and not accept_loss:
        raise RestoreWouldLoseError(report)
    if not report.changed:
        return report

    blob = source.read_bytes()
    check_free_space(path.parent, 2 * len(blob), what="restoring")
    if unusable:
        orphan = orphaned_path(path)
        fd = _open_private(orphan, os.O_WRONLY | os.O_APPEND)
        with os.fdopen(fd, "ab") as fh:
            fh.write(b"".join(line.raw + b"\n" for line in unusable))
            fh.flush()
            os.fsync(fh.fileno())
    # Both snapshots first, the journal last: a crash part-way leaves the full journal beside
    # a sound snapshot, and re-running restore finishes the job.
    if source != path:
        _write_file(path, blob, phase="restore")
    _write_file(backup_path(path), blob, phase="restore")
    _write_file(journal_path(path), b"".join(line.raw + b"\n" for line in used), phase="restore")
    return report
