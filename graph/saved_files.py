"""Results derived from the graph, saved to files of their own: the file safety they all need.

The match index (``match/disk_cache.py``) and the analyses readers open
(``analytics/saved.py``) are computed once per graph version by a job and loaded by every API
process. Both are pickles, and pickle runs code from the file, so both follow the same rules,
kept here once:

* **Trusted files only** (:func:`trusted`): a file is loaded only if this user owns it and no one
  else may write it.
* **Atomic writes** (:func:`write_atomically`): written into a file of this process and thread,
  flushed to disk, made ``0600``, then renamed over the target — a reader sees the old file or the
  new one, never half of one; two writers of the same version both write whole files and the
  last rename wins; a failed write leaves no partial file.
* **One build per version** (:class:`BuildLock`): an exclusive ``flock`` beside the file, held from
  before a build until its file is saved, so a second process missing the same version waits for
  the file instead of building it too.
* **Only the latest version kept** (:func:`remove_older`).
* **Saved off the request path** (:func:`in_background`, :func:`wait_for_saves`).

Files are named ``<prefix>-v<version>-<rest>``: the prefix names the store and the result, the
rest whatever else the key holds (counts, a hash of the code that computes it).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from graph.errors import UnusableSavedFileError
from graph.store import GraphStore

log = logging.getLogger(__name__)


def store_name_of(where: str) -> str:
    """A file-name-safe name for the store at ``where`` (its path or URI)."""
    return hashlib.sha256(where.encode()).hexdigest()[:16]


def store_name(store: GraphStore) -> str:
    """The name of ``store`` in saved files' names: its path, or its URI and database (two
    databases of one server are two graphs)."""
    health = store.health()
    where = health.get("path") or health.get("uri") or type(store).__name__
    if health.get("uri") and health.get("database"):
        where = f"{where}/{health['database']}"
    return store_name_of(str(where))


def code_hash(parts: Iterable[bytes]) -> str:
    """A short hash of the code (and layout) that computes a saved result: a new release never
    reads an old one."""
    return hashlib.sha256(b"".join(parts)).hexdigest()[:12]


def trusted(path: Path, error: type[Exception] = UnusableSavedFileError) -> None:
    """Pickle runs code from the file: load only files this user wrote and no one else may
    change (owner is us, not writable by group or others); else raise ``error``."""
    st = path.stat()
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise error(f"{path.name}: owned by uid {st.st_uid}, not by this user")
    if st.st_mode & 0o022:
        raise error(f"{path.name}: writable by others (mode {st.st_mode & 0o777:o})")


def write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through ``write(file)`` atomically (see the module docstring). Raises what
    the write raised, after removing its partial file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())  # renamed only once on disk: a crash leaves the old file or the new
        tmp.chmod(0o600)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def version_of(name: str, prefix: str | None = None) -> int | None:
    """The version in a saved file's name (``<prefix>-v<version>-…``); None if it has none."""
    try:
        rest = name[len(prefix) :] if prefix is not None and name.startswith(prefix) else name
        return int(rest.split("-v", 1)[1].split("-", 1)[0].split(".", 1)[0])
    except (IndexError, ValueError):
        return None


def remove_older(
    path: Path, prefix: str, version: int, kinds: Iterable[str] = ("pkl", "tmp", "lock")
) -> None:
    """Remove the files named ``<prefix>-v<older version>…`` beside ``path`` (a newer one another
    process saved stays), partial files a killed writer left of them, and their build locks."""
    for old in [p for kind in kinds for p in path.parent.glob(f"{prefix}-v*.{kind}")]:
        found = version_of(old.name, prefix)
        if old != path and (found is None or found < version):
            old.unlink(missing_ok=True)


class BuildLock:
    """An exclusive ``flock`` on ``<file>.lock`` beside a saved file, held from before a build
    until its file is saved: another process that misses the same version waits for the file
    instead of building it too. The kernel drops it if the holder dies. Where no lock can be had
    (no ``fcntl``, a directory that cannot be written) the build goes on without one."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def take(cls, path: Path) -> BuildLock:
        try:
            import fcntl
        except ImportError:  # not POSIX: builds are not coordinated between processes
            return cls(None)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return cls(None)  # the save will say what is wrong with the directory
        fcntl.flock(fd, fcntl.LOCK_EX)
        return cls(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops its flock
            self._fd = None


#: Saves started by :func:`in_background` (finished ones are dropped by :func:`wait_for_saves`).
_saving: list[threading.Thread] = []


def in_background(save: Callable[[], object], name: str, lock: BuildLock | None = None) -> threading.Thread:
    """Run ``save`` in a daemon thread of its own (the request that waited for the result is
    answered now); ``lock`` is released once it is over, whatever its outcome."""

    def run() -> None:
        try:
            save()
        except Exception:  # a save's failure is a log line: the result in memory answers
            log.warning("saving %s failed", name, exc_info=True)
        finally:
            if lock is not None:
                lock.release()

    thread = threading.Thread(target=run, name=name, daemon=True)
    _saving.append(thread)
    thread.start()
    return thread


def wait_for_saves(timeout: float | None = None) -> None:
    """Wait for the saves this process started (tests; a clean shutdown may too)."""
    for thread in list(_saving):
        thread.join(timeout)
        if not thread.is_alive():
            with contextlib.suppress(ValueError):
                _saving.remove(thread)
