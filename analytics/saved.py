"""The analyses readers open, saved once per graph version (issue #14): computed by a job, loaded
by every API process.

At ×100 one API process computing the default clusters, the disclosure's sums and the monitor
in its warm-up passed 8 GiB. So, like the match index (``match/disk_cache.py``), these results
are computed once per version — by ``innograph analyses build`` (or by the first API process that
needs one) — and pickled to ``$INNOGRAPH_DATA_DIR/analyses/``; an API process that misses one in
memory loads its file before it considers computing it (:mod:`graph.cache`'s
:class:`~graph.cache.SavedResults`).

Saved are the pinned results of :data:`KINDS`: the default partition (``clusters``, ``views``),
the disclosure's published sums (``disclosure``), the monitor snapshot (``monitor``, year None),
the roadmap picker's industries (``roadmap_industries``), the monitor series (``monitor_series``)
and whether it reads patents (``series_reads_patents``, a bool, so that loading the series needs
no read of its facts). Everything else (the centrality
of one cluster, other options, a roadmap, a growth diagnosis) is computed on demand.

A file is named ``<store>-<kind>_<key hash>-v<version>-<shape>-<code>.pkl``: the store (its path
or URI), the result's cache key, the version the cache keys it by — the store's version, or for
the series the version of its inputs (``graph.stamps``) — then the store's node and relationship
counts for a store version (a store re-created at the same place starts its versions again;
``inputs`` for an inputs version, which a posted demand must not change) and a hash of the code
that computes it (:func:`code_hash`). It holds two pickles: a header (format, key, the version it
was computed at, code) and the result, so that ``analyses status`` reads only the header. The
file safety — trusted files only, atomic writes, one build per version, older versions removed —
is :mod:`graph.saved_files`, shared with the match index.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import time
from collections import Counter
from collections.abc import Callable, Hashable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO, Any, TypeVar

from graph import saved_files
from graph.cache import kind_of
from graph.errors import UnusableSavedFileError
from graph.store import GraphStore

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The files' layout (header pickle, then the result).
FORMAT = 1
#: The pinned results that are saved (their cache keys' first element).
KINDS = frozenset(
    {
        "clusters",
        "views",
        "disclosure",
        "monitor",
        "roadmap_industries",
        "monitor_series",
        "series_reads_patents",
    }
)

#: Loads from files and saves to them in this process, by kind (tests check a result was loaded).
loads: Counter[str] = Counter()
saves: Counter[str] = Counter()


def analyses_dir() -> Path:
    return Path(os.environ.get("INNOGRAPH_DATA_DIR", "var")) / "analyses"


def _code_files() -> list[Traversable]:
    """The code whose change makes a saved analysis stale: the whole analytics package (its data
    too: the plan) and the disclosure rule's sums — coarse, so that no helper is forgotten."""
    found: list[Traversable] = []

    def walk(folder: Traversable) -> None:
        for item in sorted(folder.iterdir(), key=lambda t: t.name):
            if item.is_dir():
                if item.name != "__pycache__":
                    walk(item)
            elif not item.name.endswith((".pyc", ".pyo")):
                found.append(item)

    walk(resources.files("analytics"))
    found.append(resources.files("api").joinpath("disclosure.py"))
    return found


@functools.cache
def code_hash() -> str:
    return saved_files.code_hash([f"format {FORMAT}".encode(), *(p.read_bytes() for p in _code_files())])


def _kind(key: Hashable) -> str:
    return str(kind_of(key))


def _prefix(store: GraphStore, key: Hashable) -> str:
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:10]
    return f"{saved_files.store_name(store)}-{_kind(key)}_{digest}"


def _shape(store: GraphStore, by_inputs: bool) -> str:
    if by_inputs:
        return "inputs"
    counts = store.counts()
    return f"{counts.nodes}_{sum(counts.relationships.values())}"


def path_for(
    store: GraphStore, key: Hashable, version: int, by_inputs: bool, directory: Path | None = None
) -> Path:
    """Where the result of ``key`` at ``version`` of ``store`` is saved (whether or not it is)."""
    name = f"{_prefix(store, key)}-v{version}-{_shape(store, by_inputs)}-{code_hash()}.pkl"
    return (directory or analyses_dir()) / name


def read_header(path: Path, key: Hashable | None = None, version: int | None = None) -> dict[str, Any]:
    """The saved file's header (the result is not read); raises :class:`UnusableSavedFileError`
    when the file is foreign, of another layout or code, or of another key or version."""
    saved_files.trusted(path)
    try:
        with path.open("rb") as fh:
            header = pickle.load(fh)  # our own file (checked above)
    except (EOFError, pickle.UnpicklingError) as e:
        raise UnusableSavedFileError(f"{path.name}: damaged ({type(e).__name__}: {e})") from e
    _check(path, header, key, version)
    return header  # type: ignore[no-any-return]


def _check(path: Path, header: object, key: Hashable | None, version: int | None) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise UnusableSavedFileError(f"{path.name}: not a format {FORMAT} saved analysis")
    if header.get("code") != code_hash():
        raise UnusableSavedFileError(f"{path.name}: computed by other code ({header.get('code')})")
    if key is not None and header.get("key") != repr(key):
        raise UnusableSavedFileError(f"{path.name}: holds {header.get('key')}, not {key!r}")
    if version is not None and not (isinstance(v := header.get("version"), int) and v <= version):
        # Carried forward (AnalysisFiles.carried): a file of an earlier version linked under a
        # later one's name; never one of a later version.
        raise UnusableSavedFileError(f"{path.name}: holds version {v}, not {version} or earlier")


def load(path: Path, key: Hashable, version: int) -> Any:
    """The result saved at ``path``; raises FileNotFoundError or :class:`UnusableSavedFileError`."""
    saved_files.trusted(path)
    try:
        with path.open("rb") as fh:
            header = pickle.load(fh)  # our own file (checked above)
            _check(path, header, key, version)
            return pickle.load(fh)
    except (EOFError, pickle.UnpicklingError, AttributeError, ImportError) as e:
        raise UnusableSavedFileError(f"{path.name}: damaged ({type(e).__name__}: {e})") from e


def save(path: Path, key: Hashable, version: int, value: object) -> None:
    """Write ``value`` to ``path`` atomically (:func:`graph.saved_files.write_atomically`) and
    remove the older versions' files of the same store and key; raises what the write raised."""
    header = {
        "format": FORMAT,
        "key": repr(key),
        "version": version,
        "code": code_hash(),
        "saved": time.time(),
    }

    def write(fh: IO[bytes]) -> None:
        pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)

    saved_files.write_atomically(path, write)
    saves[_kind(key)] += 1
    # The name is <prefix>-v<version>-<shape>-<code>.pkl, and the prefix holds "-v" itself for a
    # kind such as "views": cut at this version's marker, not at the first "-v".
    prefix = path.name[: path.name.rindex(f"-v{version}-")]
    saved_files.remove_older(path, prefix, version)


class _Missing:
    pass


_MISSING = _Missing()


class AnalysisFiles:
    """A store's :class:`graph.cache.SavedResults`: the analyses saved in ``directory``.

    ``background``: save a computed result in a thread of its own (the API: the request is
    answered first, a failed save is a log line); else before returning it, a failure raised
    (the job). ``force``: compute even when a file is saved, and overwrite it (``--force``)."""

    def __init__(self, directory: Path, *, background: bool = True, force: bool = False) -> None:
        self.directory = directory
        self.background = background
        self.force = force

    def keeps(self, key: Hashable) -> bool:
        return kind_of(key) in KINDS

    def _load(self, path: Path, key: Hashable, version: int) -> Any:
        started = time.perf_counter()
        try:
            value = load(path, key, version)
        except FileNotFoundError:
            return _MISSING
        except Exception as e:  # any unusable file means "compute instead", said once
            log.warning("saved analysis %s not used (%s); computing it instead", path, e)
            with contextlib.suppress(OSError):  # a directory that cannot be read: computed all the same
                path.unlink()
            return _MISSING
        loads[_kind(key)] += 1
        log.info(
            "%s of version %d loaded from %s (%.1f MiB) in %.1f s",
            _kind(key),
            version,
            path.name,
            path.stat().st_size / 2**20,
            time.perf_counter() - started,
        )
        return value

    def obtain(
        self, store: GraphStore, key: Hashable, version: int, by_inputs: bool, compute: Callable[[], T]
    ) -> T:
        path = path_for(store, key, version, by_inputs, self.directory)
        if not self.force:
            found = self._load(path, key, version)
            if found is not _MISSING:
                return found  # type: ignore[no-any-return]
        # Two workers missing the same result: the first computes, the other waits for its file.
        lock = saved_files.BuildLock.take(path)
        try:
            if not self.force:
                found = self._load(path, key, version)  # saved while this one waited
                if found is not _MISSING:
                    lock.release()
                    return found  # type: ignore[no-any-return]
            value = compute()
            if not by_inputs and store.version() != version:
                lock.release()  # written meanwhile: the result may be of a later version, unnamed
                return value
        except BaseException:
            lock.release()
            raise
        if not self.background:
            try:
                save(path, key, version, value)
            finally:
                lock.release()
            return value

        def run() -> None:
            started = time.perf_counter()
            try:
                save(path, key, version, value)
            except Exception as e:
                log.warning("%s of version %d not saved to %s (%s)", _kind(key), version, path, e)
                return
            log.info(
                "%s of version %d saved to %s (%.1f MiB) in %.1f s",
                _kind(key),
                version,
                path.name,
                path.stat().st_size / 2**20,
                time.perf_counter() - started,
            )

        saved_files.in_background(run, f"analysis-save-{_kind(key)}", lock)
        return value

    def carried(self, store: GraphStore, keys: list[Hashable], before: int, after: int) -> None:
        """The results of ``keys`` at ``before`` hold at ``after`` (a posted demand): their files are
        linked under ``after``'s name, so another process loads them instead of computing."""
        for key in keys:
            if not self.keeps(key):
                continue
            try:
                prefix = _prefix(store, key)
                found = list(self.directory.glob(f"{prefix}-v{before}-*-{code_hash()}.pkl"))
                if len(found) != 1:
                    continue  # not saved (or of two shapes: leave it to be computed)
                old = found[0]
                new = path_for(store, key, after, False, self.directory)
                tmp = new.with_name(f"{new.name}.{os.getpid()}-carry.tmp")
                tmp.unlink(missing_ok=True)
                os.link(old, tmp)
                tmp.replace(new)  # the header keeps the version it was computed at
                saved_files.remove_older(new, prefix, after)
            except Exception as e:  # a missing link only means another process computes it
                log.warning("saved %s not carried to version %d (%s)", _kind(key), after, e)


def use_files(
    store: GraphStore, directory: Path | None, *, background: bool = True, force: bool = False
) -> None:
    """Load ``store``'s saved analyses from ``directory`` and save those computed here there
    (None: in memory only). The API's store (``api/warmup.py``) and the job's."""
    from graph import cache

    cache.use_saved(
        store, None if directory is None else AnalysisFiles(directory, background=background, force=force)
    )
