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
so the next worker or restart loads it. The file is three pickles one after the other — a
small header (format, version, code), the index, the shown nodes — so that ``index status``
reads only the header and the API stops before the nodes it never shows from here (it reads
them from the store).

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

import contextlib
import gc
import json
import logging
import os
import pickle
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
#: (a reader stops after the part it needs).
FORMAT = 3
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


#: The whole nodes saved with each index loaded or built by this process (see the docstring).
_shown: weakref.WeakKeyDictionary[MatchIndex, dict[str, Node]] = weakref.WeakKeyDictionary()


def saved_nodes(index: MatchIndex) -> Callable[[Sequence[str]], Mapping[str, Node]] | None:
    """Reads the nodes a response shows from those saved with ``index`` (None for an index
    that was not loaded or built here: then read them from the store)."""
    nodes = _shown.get(index)
    if nodes is None:
        return None
    return lambda node_ids: {i: nodes[i] for i in node_ids if i in nodes}


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


def _load(path: Path, *, nodes: bool = True) -> MatchIndex:
    """The index saved at ``path``; ``nodes``: with the whole nodes saved beside it (the CLI
    shows them; the API reads them from the store and stops before them)."""
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
            shown = pickle.load(fh) if nodes else None
    except (EOFError, pickle.UnpicklingError) as e:
        raise UnusableIndexFileError(f"{path.name}: damaged ({type(e).__name__}: {e})") from e
    finally:
        gc.enable()
    gc.freeze()  # and later collections need not rescan them
    if not isinstance(state, dict) or state.get("version") != header.get("version"):
        raise UnusableIndexFileError(f"{path.name}: damaged (header and index disagree)")
    index = MatchIndex.__new__(MatchIndex)
    index.__dict__.update(state)
    if shown is not None:
        _shown[index] = shown
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
                    shown = _whole_nodes(store, index)
                    if shown is not None:
                        _shown[index] = shown
                        save(index, path, shown)
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
    shown = _whole_nodes(store, index)
    if shown is not None:
        _shown[index] = shown
    # Not saved after a write during the build (the index is of a later version) or during the
    # nodes' read (they may be of two versions): the next call builds again.
    if index.version == version and shown is not None:
        save(index, path, shown, strict=True)
        _point(store, path, files_before)
    if not dictionary_path().exists():
        from text import dictionary_db

        dictionary_db.write(dictionary_path())
    return index


#: Ids per ``get_nodes`` call when the nodes a CLI answer shows are read for the file: one call
#: for every actor and work (835 k at ×100) passed Neo4j's 30 s read bound and failed the job.
SHOWN_BATCH = 5_000


def _whole_nodes(store: GraphStore, index: MatchIndex) -> dict[str, Node] | None:
    """Every actor and work of ``index`` as stored, read :data:`SHOWN_BATCH` ids at a time; None
    when the graph is no longer the index's version at the end (a write between two batches
    would mix versions: then the CLI reads the nodes it shows from the store instead)."""
    ids = [*index.actors, *index.works]
    shown: dict[str, Node] = {}
    for start in range(0, len(ids), SHOWN_BATCH):
        shown.update((n.id, n) for n in store.get_nodes(ids[start : start + SHOWN_BATCH]))
    return shown if store.version() == index.version else None


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


def save(index: MatchIndex, path: Path, shown: dict[str, Node] | None, *, strict: bool = False) -> bool:
    """Write ``index`` (and the nodes it shows, if given) to ``path`` atomically: into a file of
    this process and thread, then renamed over ``path`` — two processes saving the same version
    at once both write whole files and the last rename wins; a reader sees the old file or the
    new one, never half of one. A failed write (disk full) removes its partial file and, unless
    ``strict``, only logs one line: the index in memory answers regardless. Older versions'
    files of the same store are removed. Returns whether the file was written."""
    from match.demands import CHANCE_MEMO_KEY

    # Copied first (each copy is one step under the GIL): request threads may add the gazetteer
    # or memo entries to the index meanwhile.
    state = {k: v for k, v in dict(index.__dict__).items() if k not in ("_nlp", "nlp")}
    kept = (*groups.MEMO_KEYS, CHANCE_MEMO_KEY)
    state["memo"] = {k: v for k, v in dict(index.memo).items() if k in kept}
    header = {"format": FORMAT, "version": index.version, "code": _code_hash(), "saved": time.time()}

    def write(fh: IO[bytes]) -> None:
        for part in (header, state, shown):
            pickle.dump(part, fh, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        saved_files.write_atomically(path, write)
    except Exception as e:
        if strict:
            raise
        log.warning("match index of version %d not saved to %s (%s)", index.version, path, e)
        return False
    _remove_older(path, index.version)
    return True


_version_of = saved_files.version_of


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
