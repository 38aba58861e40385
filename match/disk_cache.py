"""The match index on disk, for the CLI: one build per graph version, not one per command.

Every ``innograph partners`` / ``match-demand`` call is a new process, and building the index
reads and tokenises the whole graph (seconds). The built index — its gazetteer included — is
pickled to ``$INNOGRAPH_DATA_DIR/match-index/<key>.pkl``, the key naming the store (its path or
URI), the graph version, its node and relationship counts (a store re-created at the same place
starts its versions again) and the source of the index code (a new release never reads an old
layout). The files are written by the same user that reads them (pickle is not for files from
elsewhere: :func:`_trusted` refuses a file another user owns or anyone else may write); only
the latest file per store is kept.

**The API and the index job** (issue #14; docs/SCALING.md): ``innograph index build`` builds
the index of the store's current version in a process of its own and saves it here; an API
process whose index is missing for the current version loads that file (:func:`load_file`)
before it considers building, and saves an index it had to build itself (:func:`save_later`;
:func:`use_files`),
so the next worker or restart loads it. The file is a small header pickle (format, version,
code), the index pickle, then the shown nodes as a sequence of batch pickles, a table of where
each batch starts and a fixed-size footer pointing at that table (:func:`save`): ``index
status`` reads only the header, the API stops after the index (it reads the nodes it shows
from the store), and the CLI reads the footer and the table, then only the batches holding the
nodes an answer shows (:class:`_SavedNodes`). The job writes each batch as it is read from the
store, so it never holds every node at once (at ×100 they were 3 GiB beside the index).

jieba's dictionary is written beside the indexes once, as SQLite (:mod:`text.dictionary_db`):
a call answered from a saved index cuts its query from it instead of loading the dictionary.

**Answering without opening the store** (issue #12: warm CLI calls under a second). Opening the
embedded store reads and checks the whole graph file (seconds at ×1) only to learn its version.
So, beside the index, ``<store>.current.json`` records the embedded store's files as they were
when the index was saved — path, size, modification time and inode of the snapshot and of the
journal. Every committed write appends to the journal or replaces the snapshot, so while both
files are unchanged the graph version is the saved one: :func:`load_saved` then loads the index
without opening the store. Any difference (or a Neo4j store, whose version is one round trip
away) goes the ordinary way: open the store, :func:`load_or_build`.

**The nodes a CLI answer shows.** The index keeps only the properties matchmaking reads
(``match/node_fields.py``); a response shows its entities whole, read from the store by the API.
A warm CLI call has no store open, so the file also holds every actor and work as stored
(:func:`saved_nodes`) — still less than the whole projection the file held before format 2.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import json
import logging
import os
import pickle
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from graph import saved_files
from graph.errors import UnusableIndexFileError
from graph.records import Node
from graph.store import GraphStore
from match import cache, groups
from match.index import MatchIndex

if TYPE_CHECKING:
    from spacy.language import Language

    from graph.config import Settings

log = logging.getLogger(__name__)

#: The file's layout: 2 since the index keeps no projection (its own adjacency and node fields,
#: and the shown nodes beside it); 3 since a header, the index and the nodes are three pickles
#: (a reader stops after the part it needs); 4 since the nodes are batches written as they are
#: read, found through a table the footer points at (the job no longer holds them all).
FORMAT = 4
#: The file's last bytes: this marker, then the offset of the batch table (8 bytes, little-endian).
_FOOTER_MAGIC = b"innograph-match-index-nodes"
_FOOTER = len(_FOOTER_MAGIC) + 8
#: Nodes per batch pickle in the file: a CLI answer shows ~10–20 nodes and unpickles each one's
#: batch (a few ms for 500), while the table stays small (1,700 entries at ×100).
SAVED_BATCH = 500
#: The code whose change makes a saved index stale (through importlib.resources, so an installed
#: wheel finds it as a checkout does).
_CODE = [
    resources.files("match").joinpath("index.py"),
    resources.files("match").joinpath("adjacency.py"),
    resources.files("match").joinpath("node_fields.py"),
    resources.files("match").joinpath("text_rank.py"),
    resources.files("text").joinpath("pipeline.py"),
    resources.files("text").joinpath("gazetteer.py"),
    resources.files("text").joinpath("weighting.py"),
    resources.files("match").joinpath("groups.py"),  # the name cores saved with the index
    resources.files("match").joinpath("places.py"),
    resources.files("match").joinpath("demands.py"),  # the "no good match" level saved with it
    resources.files("ingest").joinpath("names.py"),
]

#: Counts index builds and loads from disk in this process (tests check a warm call loads,
#: never builds).
builds = 0
loads = 0


def index_dir() -> Path:
    return Path(os.environ.get("INNOGRAPH_DATA_DIR", "var")) / "match-index"


_store_name_of = saved_files.store_name_of
_store_name = saved_files.store_name


def _code_hash() -> str:
    return saved_files.code_hash([f"format {FORMAT}".encode(), *(p.read_bytes() for p in _CODE)])


def _key(store: GraphStore, version: int) -> str:
    counts = store.counts()
    shape = f"{counts.nodes}-{sum(counts.relationships.values())}"
    return f"{_store_name(store)}-v{version}-{shape}-{_code_hash()}"


def path_for(store: GraphStore, version: int, directory: Path | None = None) -> Path:
    """Where the index of ``version`` of ``store`` is saved (whether or not it is)."""
    return (directory or index_dir()) / f"{_key(store, version)}.pkl"


def files_state(path: Path) -> list[list[Any]]:
    """What the embedded store's snapshot and journal look like on disk (no read of either)."""
    from graph.embedded_files import journal_path

    state: list[list[Any]] = []
    for p in (path, journal_path(path)):
        try:
            st = p.stat()
        except FileNotFoundError:
            state.append([p.name, None])
            continue
        state.append([p.name, st.st_size, st.st_mtime_ns, st.st_ino])
    return state


def dictionary_path() -> Path:
    import jieba

    return index_dir() / f"jieba-{jieba.__version__}-dictionary.sqlite"


def _use_dictionary() -> None:
    from text.pipeline import use_dictionary_db

    path = dictionary_path()
    if path.exists():
        use_dictionary_db(path)


def _pointer(store_name: str) -> Path:
    return index_dir() / f"{store_name}.current.json"


class _SavedNodes:
    """The whole nodes saved in one file, read a batch at a time: the table (each batch's first
    position among the index's actors then works, and its byte range) is read with the index,
    a batch only when an answer shows one of its nodes (the last few stay unpickled).

    Holds the file open (a descriptor, closed with this object): a newer file renamed over the
    path, or an older one removed, leaves the batches this index was saved with readable."""

    _KEPT = 8

    def __init__(self, fd: int, starts: list[int], offsets: list[int], index: MatchIndex) -> None:
        self._fd = fd
        weakref.finalize(self, os.close, fd)
        self._starts = starts
        self._offsets = offsets
        # The index's own dicts, not the index (a value that referred to its weak key would
        # keep it alive).
        self._actor_pos: Mapping[str, int] = index.actor_pos
        self._work_pos: Mapping[str, int] = index.work_pos
        self._actors = len(index.actors)
        self._kept: dict[int, dict[str, Node]] = {}
        self._lock = threading.Lock()
        #: Batches unpickled so far (tests check an answer reads its batches, not the file).
        self.batches_read = 0

    def _batch_of(self, node_id: str) -> int | None:
        pos = self._actor_pos.get(node_id)
        if pos is None:
            work = self._work_pos.get(node_id)
            if work is None:
                return None  # neither an actor nor a work: the file holds no such node
            pos = self._actors + work
        found = bisect.bisect_right(self._starts, pos) - 1
        return found if found >= 0 else None

    def _batch(self, b: int) -> dict[str, Node]:
        with self._lock:
            kept = self._kept.get(b)
        if kept is not None:
            return kept
        start, end = self._offsets[b], self._offsets[b + 1]
        data = os.pread(self._fd, end - start, start)  # no shared file position: thread-safe
        try:
            batch = pickle.loads(data)  # our own file (checked when opened)
        except Exception as e:
            raise UnusableIndexFileError(f"saved nodes damaged ({type(e).__name__}: {e})") from e
        with self._lock:
            self.batches_read += 1
            if len(self._kept) >= self._KEPT:
                self._kept.pop(next(iter(self._kept)))
            self._kept[b] = batch
        return batch  # type: ignore[no-any-return]

    def __call__(self, node_ids: Sequence[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for i in node_ids:
            b = self._batch_of(i)
            if b is not None and (node := self._batch(b).get(i)) is not None:
                found[i] = node
        return found


#: The whole nodes saved with each index loaded or saved by this process (see the docstring).
_shown: weakref.WeakKeyDictionary[MatchIndex, _SavedNodes] = weakref.WeakKeyDictionary()


def saved_nodes(index: MatchIndex) -> Callable[[Sequence[str]], Mapping[str, Node]] | None:
    """Reads the nodes a response shows from those saved with ``index`` (None for an index
    that was not loaded or saved here with its nodes: then read them from the store)."""
    return _shown.get(index)


def _trusted(path: Path) -> None:
    """Load only files this user wrote and no one else may change (:func:`graph.saved_files.trusted`)."""
    saved_files.trusted(path, UnusableIndexFileError)


def read_header(path: Path) -> dict[str, Any]:
    """The saved file's header (format, graph version, code hash): the index is not read."""
    _trusted(path)
    with path.open("rb") as fh:
        header = pickle.load(fh)  # our own file (checked above), see the module docstring
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise UnusableIndexFileError(f"{path.name}: not a format {FORMAT} match index")
    return header


def _table(fh: BinaryIO, name: str) -> dict[str, list[int]] | None:
    """The batch table the footer points at (None: saved without nodes); a file that does not
    end in a whole footer and table (truncated, or not ours) is damaged."""
    size = os.fstat(fh.fileno()).st_size
    fh.seek(max(size - _FOOTER, 0))
    footer = fh.read(_FOOTER)
    if len(footer) != _FOOTER or not footer.startswith(_FOOTER_MAGIC):
        raise UnusableIndexFileError(f"{name}: damaged (no footer: truncated or not a match index)")
    at = int.from_bytes(footer[len(_FOOTER_MAGIC) :], "little")
    if not 0 < at < size - _FOOTER:
        raise UnusableIndexFileError(f"{name}: damaged (footer points outside the file)")
    fh.seek(at)
    table = pickle.load(fh)  # our own file (checked by the caller)
    if fh.tell() != size - _FOOTER or not (table is None or isinstance(table, dict)):
        raise UnusableIndexFileError(f"{name}: damaged (batch table)")
    return table


def _load(path: Path, *, nodes: bool = True) -> MatchIndex:
    """The index saved at ``path``; ``nodes``: with a reader of the whole nodes saved beside it
    (the CLI shows them; the API reads them from the store and never reads the file's batches)."""
    _trusted(path)
    # The index is ~10⁵ small long-lived objects: with the cyclic collector running, unpickling
    # them triggers collection after collection (0.28 s of CPU at ×1 instead of 0.10 s).
    gc.disable()
    try:
        with path.open("rb") as fh:
            header = pickle.load(fh)  # our own file (checked above), see the module docstring
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise UnusableIndexFileError(f"{path.name}: not a format {FORMAT} match index")
            state = pickle.load(fh)
            table = _table(fh, path.name)
            fd = os.dup(fh.fileno()) if nodes and table is not None else None
    except (EOFError, pickle.UnpicklingError, ValueError) as e:
        raise UnusableIndexFileError(f"{path.name}: damaged ({type(e).__name__}: {e})") from e
    finally:
        gc.enable()
    gc.freeze()  # and later collections need not rescan them
    if not isinstance(state, dict) or state.get("version") != header.get("version"):
        if fd is not None:
            os.close(fd)
        raise UnusableIndexFileError(f"{path.name}: damaged (header and index disagree)")
    index = MatchIndex.__new__(MatchIndex)
    index.__dict__.update(state)
    if fd is not None and table is not None:
        _shown[index] = _SavedNodes(fd, table["starts"], table["offsets"], index)
    return index


def load_file(store: GraphStore, version: int, directory: Path | None = None) -> MatchIndex | None:
    """The index of ``version`` saved for ``store``, or None when there is none or it cannot be
    used — then one warning line says why and the file is removed (the caller builds and saves
    anew). What the API calls before building (:class:`IndexFiles`)."""
    global loads
    path = path_for(store, version, directory)
    started = time.perf_counter()
    try:
        index = _load(path, nodes=False)
        if index.version != version:
            raise UnusableIndexFileError(f"{path.name}: holds version {index.version}, not {version}")
    except FileNotFoundError:
        return None
    except Exception as e:  # any unusable file means "build instead", said once
        log.warning("match index file %s not used (%s); building the index instead", path, e)
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    loads += 1
    log.info(
        "match index of version %d loaded from %s (%.1f MiB) in %.1f s",
        version,
        path,
        path.stat().st_size / 2**20,
        time.perf_counter() - started,
    )
    return index


def load_saved(settings: Settings) -> MatchIndex | None:
    """The saved index of the configured embedded store if its files are as they were when it
    was saved; None otherwise (open the store and call :func:`load_or_build`)."""
    if settings.store != "embedded":
        return None
    path = settings.embedded_path
    name = _store_name_of(str(path))
    try:
        pointer = json.loads(_pointer(name).read_text(encoding="utf-8"))
        if pointer.get("files") != files_state(path) or pointer.get("code") != _code_hash():
            return None
        index = _load(index_dir() / str(pointer["index"]))
        if saved_nodes(index) is None:
            return None  # saved by the API, which keeps no nodes: open the store
        _use_dictionary()
        return index
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file: the ordinary way rebuilds and overwrites it
        log.warning("match index on disk for %s unreadable; rebuilding", path, exc_info=True)
        return None


def load_or_build(
    store: GraphStore,
    nlp: Language | None = None,
    *,
    files_before: list[list[Any]] | None = None,
    force: bool = False,
) -> MatchIndex:
    """The index of the store's current version: from disk when saved, else built and saved.
    Either way it becomes the process's cached index (:func:`match.cache.index_for`).

    ``files_before``: :func:`files_state` of the embedded store taken *before* it was opened.
    Given, and the files still so, the index is recorded as theirs for :func:`load_saved`; a
    write by another process in between leaves no such record (it could name the wrong index).
    ``force``: build and save even when a file is saved (``innograph index build --force``)."""
    global builds
    version = store.version()
    path = path_for(store, version)
    if path.exists() and not force:
        try:
            index = _load(path)
            if index.version == version:
                if saved_nodes(index) is None:  # saved by an API process: add the nodes the CLI shows
                    save(index, path, _whole_nodes(store, index))
                cache.prime(store, index)
                _point(store, path, files_before)
                _use_dictionary()
                return index
        except Exception as e:  # a damaged or foreign file: rebuild and overwrite it
            log.warning("match index file %s not used (%s); rebuilding", path, e)
    builds += 1
    if force:  # not the cached one either: built again from the store
        index = cache.build_index(store, nlp)
        cache.prime(store, index)
    else:
        index = cache.index_for(store, nlp)
    index.gazetteer  # noqa: B018 — built now, so that it is saved with the index
    groups.prepare(index)  # likewise the organisations' name cores (same-group detection)
    from match import demands  # here, not at the top: a warm partners call never needs it

    demands.chance_level(index)  # and the calibrated "no good match" level (0.3–0.6 s on real sets)
    # What the build left goes before the index is pickled and the nodes are read — the job's
    # peak is the build's, not its leftovers beside them: the tokeniser's cache (every text of
    # the graph, kept for a next build this process will not do) and what the collector, paused
    # during the build, has not freed yet.
    from text.pipeline import forget_terms

    forget_terms()
    gc.collect()
    # Not saved after a write during the build (the index is of a later version) or during the
    # nodes' read (they may be of two versions): the next call builds again.
    if index.version == version and save(index, path, _whole_nodes(store, index), strict=True):
        _point(store, path, files_before)
    if not dictionary_path().exists():
        from text import dictionary_db

        dictionary_db.write(dictionary_path())
    return index


#: Ids per ``get_nodes`` call when the nodes a CLI answer shows are read for the file: one call
#: for every actor and work (835 k at ×100) passed Neo4j's 30 s read bound and failed the job.
SHOWN_BATCH = 5_000


class _GraphWritten(Exception):
    """The graph was written while its nodes were read for the file: they may be of two versions."""


def _whole_nodes(store: GraphStore, index: MatchIndex) -> Iterator[tuple[int, dict[str, Node]]]:
    """Every actor and work of ``index`` as stored, read :data:`SHOWN_BATCH` ids at a time and
    handed on in batches of :data:`SAVED_BATCH` (position of the batch's first id among the
    actors then works, its nodes by id) for :func:`save` to write as they come: the job never
    holds them all. Raises :class:`_GraphWritten` at the end when the graph is no longer the
    index's version (a write between two reads would mix versions: nothing is saved, and the
    CLI reads the nodes it shows from the store instead)."""
    ids = [*index.actors, *index.works]
    for start in range(0, len(ids), SHOWN_BATCH):
        end = min(start + SHOWN_BATCH, len(ids))
        read = {n.id: n for n in store.get_nodes(ids[start:end])}
        for at in range(start, end, SAVED_BATCH):
            yield at, {i: read[i] for i in ids[at : min(at + SAVED_BATCH, end)] if i in read}
        del read
    if store.version() != index.version:
        raise _GraphWritten


def _point(store: GraphStore, path: Path, files_before: list[list[Any]] | None) -> None:
    """Record the embedded store's files beside the index (see the module docstring)."""
    where = store.health().get("path")
    if getattr(store, "kind", None) != "embedded" or not where or files_before is None:
        return
    if files_state(Path(where)) != files_before:
        return  # written since the caller looked: this index may not be of those files
    pointer = {"index": path.name, "files": files_before, "code": _code_hash()}
    target = _pointer(_store_name(store))
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(pointer), encoding="utf-8")
    tmp.replace(target)


def save(
    index: MatchIndex,
    path: Path,
    shown: Iterable[tuple[int, Mapping[str, Node]]] | None,
    *,
    strict: bool = False,
) -> bool:
    """Write ``index`` (and the nodes it shows, if given: batches as :func:`_whole_nodes` yields
    them, each written as it comes and then let go) to ``path`` atomically: into a file of
    this process and thread, then renamed over ``path`` — two processes saving the same version
    at once both write whole files and the last rename wins; a reader sees the old file or the
    new one, never half of one. A failed write (disk full) removes its partial file and, unless
    ``strict``, only logs one line: the index in memory answers regardless; a write to the graph
    while the nodes were read (:class:`_GraphWritten`) saves nothing, strict or not. Saved with
    its nodes, ``index`` answers :func:`saved_nodes` from the file. Older versions' files of the
    same store are removed. Returns whether the file was written."""
    from match.demands import CHANCE_MEMO_KEY

    # Copied first (each copy is one step under the GIL): request threads may add the gazetteer
    # or memo entries to the index meanwhile.
    state = {k: v for k, v in dict(index.__dict__).items() if k not in ("_nlp", "nlp")}
    kept = (*groups.MEMO_KEYS, CHANCE_MEMO_KEY)
    state["memo"] = {k: v for k, v in dict(index.memo).items() if k in kept}
    header = {"format": FORMAT, "version": index.version, "code": _code_hash(), "saved": time.time()}
    parts: list[Any] = [state]
    del state  # the copies' dicts: not held while the nodes are read (the writer pops them)
    reader: int | None = None
    table: dict[str, list[int]] | None = None

    def write(fh: IO[bytes]) -> None:
        nonlocal reader, table
        pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(parts.pop(), fh, protocol=pickle.HIGHEST_PROTOCOL)
        table = None if shown is None else _write_batches(fh, shown)
        at = fh.tell()
        pickle.dump(table, fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.write(_FOOTER_MAGIC + at.to_bytes(8, "little"))
        if table is not None:  # this very file, whatever is renamed over the path later
            reader = os.open(fh.name, os.O_RDONLY)

    try:
        saved_files.write_atomically(path, write)
    except Exception as e:
        if reader is not None:
            os.close(reader)
        if isinstance(e, _GraphWritten):
            log.info("match index of version %d not saved: the graph was written meanwhile", index.version)
            return False
        if strict:
            raise
        log.warning("match index of version %d not saved to %s (%s)", index.version, path, e)
        return False
    if reader is not None and table is not None:
        _shown[index] = _SavedNodes(reader, table["starts"], table["offsets"], index)
    _remove_older(path, index.version)
    return True


_version_of = saved_files.version_of


def _write_batches(fh: IO[bytes], shown: Iterable[tuple[int, Mapping[str, Node]]]) -> dict[str, list[int]]:
    """Pickle each batch of nodes as it comes; the table of where each starts (position of its
    first node, byte offset; the last offset is the end of the last batch)."""
    starts: list[int] = []
    offsets: list[int] = []
    for start, batch in shown:
        starts.append(start)
        offsets.append(fh.tell())
        pickle.dump(dict(batch), fh, protocol=pickle.HIGHEST_PROTOCOL)
    offsets.append(fh.tell())
    return {"starts": starts, "offsets": offsets}


def _remove_older(path: Path, version: int) -> None:
    """Remove the store's files of older versions (a newer one another process saved stays),
    partial files a killed writer left of them, and their build locks."""
    saved_files.remove_older(path, path.name.split("-v", 1)[0], version)


class IndexFiles:
    """The API's :class:`match.cache.IndexSource`: a store's index of a version from the file
    saved in ``directory``, else built here and saved for the next process."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load_or_build(self, store: GraphStore, nlp: Language | None) -> MatchIndex:
        global builds
        version = store.version()
        loaded = load_file(store, version, self.directory)
        if loaded is not None:
            return loaded
        path = path_for(store, version, self.directory)  # named before the build: the version's counts
        # Two workers missing the same version: the first builds, the other waits for its file
        # (one build's minutes and memory, not two side by side).
        lock = _BuildLock.take(path)
        try:
            loaded = load_file(store, version, self.directory)  # saved while this one waited
            if loaded is not None:
                lock.release()
                return loaded
            builds += 1
            index = cache.build_index(store, nlp)
        except BaseException:
            lock.release()
            raise
        if index.version == version:  # else written during the build: it would be misnamed
            save_later(index, path, lock)  # released once the file is there
        else:
            lock.release()
        return index

    def saved(self, store: GraphStore) -> MatchIndex | None:
        return load_file(store, store.version(), self.directory)


def use_files(store: GraphStore, directory: Path | None) -> None:
    """Load ``store``'s index of a version from ``directory`` when saved there, and save one
    built in this process there (None: in memory only). The API's store (``api/app.py``)."""
    cache.use_source(store, None if directory is None else IndexFiles(directory))


#: The build lock beside an index file (:class:`graph.saved_files.BuildLock`).
_BuildLock = saved_files.BuildLock


def save_later(index: MatchIndex, path: Path, lock: saved_files.BuildLock | None = None) -> threading.Thread:
    """Save an index the API built itself, in a thread of its own: the request that waited for
    the build is answered now, and a failed save is one log line (:func:`save`). ``lock`` is
    released once the save is over, whatever its outcome."""

    def run() -> None:
        started = time.perf_counter()
        if save(index, path, None):
            log.info(
                "match index of version %d saved to %s (%.1f MiB) in %.1f s",
                index.version,
                path,
                path.stat().st_size / 2**20,
                time.perf_counter() - started,
            )

    return saved_files.in_background(run, "match-index-save", lock)


#: Saves of this process, the match index's and the analyses' (:mod:`graph.saved_files`).
wait_for_saves = saved_files.wait_for_saves
