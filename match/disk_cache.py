"""The match index on disk, for the CLI: one build per graph version, not one per command.

Every ``innograph partners`` / ``match-demand`` call is a new process, and building the index
reads and tokenises the whole graph (seconds). The built index — its gazetteer included — is
pickled to ``$INNOGRAPH_DATA_DIR/match-index/<key>.pkl``, the key naming the store (its path or
URI), the graph version, its node and relationship counts (a store re-created at the same place
starts its versions again) and the source of the index code (a new release never reads an old
layout). The files are written by the same user that reads them (pickle is not for files from
elsewhere); only the latest file per store is kept. The API keeps its index in memory and does
not use this.

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

import gc
import hashlib
import json
import logging
import os
import pickle
import weakref
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.records import Node
from graph.store import GraphStore
from match import cache, groups
from match.index import MatchIndex

if TYPE_CHECKING:
    from spacy.language import Language

    from graph.config import Settings

log = logging.getLogger(__name__)

#: The file's layout: 2 since the index keeps no projection (its own adjacency and node fields,
#: and the shown nodes beside it).
FORMAT = 2
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

#: Counts index builds in this process (tests check a warm call loads, never builds).
builds = 0


def index_dir() -> Path:
    return Path(os.environ.get("INNOGRAPH_DATA_DIR", "var")) / "match-index"


def _store_name_of(where: str) -> str:
    return hashlib.sha256(where.encode()).hexdigest()[:16]


def _store_name(store: GraphStore) -> str:
    health = store.health()
    where = health.get("path") or health.get("uri") or type(store).__name__
    return _store_name_of(str(where))


def _code_hash() -> str:
    return hashlib.sha256(
        b"".join([f"format {FORMAT}".encode(), *(p.read_bytes() for p in _CODE)])
    ).hexdigest()[:12]


def _key(store: GraphStore, version: int) -> str:
    counts = store.counts()
    shape = f"{counts.nodes}-{sum(counts.relationships.values())}"
    return f"{_store_name(store)}-v{version}-{shape}-{_code_hash()}"


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


def _load(path: Path) -> MatchIndex:
    # The index is ~10⁵ small long-lived objects: with the cyclic collector running, unpickling
    # them triggers collection after collection (0.28 s of CPU at ×1 instead of 0.10 s).
    gc.disable()
    try:
        with path.open("rb") as fh:
            saved = pickle.load(fh)  # our own file, see the module docstring
    finally:
        gc.enable()
    gc.freeze()  # and later collections need not rescan them
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        raise ValueError(f"{path.name}: not a format {FORMAT} match index")
    index = MatchIndex.__new__(MatchIndex)
    index.__dict__.update(saved["index"])
    _shown[index] = saved["nodes"]
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
        _use_dictionary()
        return index
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file: the ordinary way rebuilds and overwrites it
        log.warning("match index on disk for %s unreadable; rebuilding", path, exc_info=True)
        return None


def load_or_build(
    store: GraphStore, nlp: Language | None = None, *, files_before: list[list[Any]] | None = None
) -> MatchIndex:
    """The index of the store's current version: from disk when saved, else built and saved.
    Either way it becomes the process's cached index (:func:`match.cache.index_for`).

    ``files_before``: :func:`files_state` of the embedded store taken *before* it was opened.
    Given, and the files still so, the index is recorded as theirs for :func:`load_saved`; a
    write by another process in between leaves no such record (it could name the wrong index)."""
    global builds
    version = store.version()
    path = index_dir() / f"{_key(store, version)}.pkl"
    if path.exists():
        try:
            index = _load(path)
            if index.version == version:
                cache.prime(store, index)
                _point(store, path, files_before)
                _use_dictionary()
                return index
        except Exception:  # a damaged or foreign file: rebuild and overwrite it
            log.warning("match index on disk %s unreadable; rebuilding", path, exc_info=True)
    builds += 1
    index = cache.index_for(store, nlp)
    index.gazetteer  # noqa: B018 — built now, so that it is saved with the index
    groups.prepare(index)  # likewise the organisations' name cores (same-group detection)
    from match import demands  # here, not at the top: a warm partners call never needs it

    demands.chance_level(index)  # and the calibrated "no good match" level (0.3–0.6 s on real sets)
    shown = {n.id: n for n in store.get_nodes([*index.actors, *index.works])}
    _shown[index] = shown
    _save(index, path, shown)
    _point(store, path, files_before)
    if not dictionary_path().exists():
        from text import dictionary_db

        dictionary_db.write(dictionary_path())
    return index


def _point(store: GraphStore, path: Path, files_before: list[list[Any]] | None) -> None:
    """Record the embedded store's files beside the index (see the module docstring)."""
    where = store.health().get("path")
    if getattr(store, "kind", None) != "embedded" or not where or files_before is None:
        return
    if files_state(Path(where)) != files_before:
        return  # written since the caller looked: this index may not be of those files
    pointer = {"index": path.name, "files": files_before, "code": _code_hash()}
    target = _pointer(_store_name(store))
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(pointer), encoding="utf-8")
    tmp.replace(target)


def _save(index: MatchIndex, path: Path, shown: dict[str, Node]) -> None:
    state = {k: v for k, v in index.__dict__.items() if k not in ("_nlp", "nlp")}
    from match.demands import CHANCE_MEMO_KEY

    kept = (*groups.MEMO_KEYS, CHANCE_MEMO_KEY)
    state["memo"] = {k: v for k, v in index.memo.items() if k in kept}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump({"format": FORMAT, "index": state, "nodes": shown}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    prefix = path.name.split("-v", 1)[0]
    for old in path.parent.glob(f"{prefix}-v*.pkl"):
        if old != path:
            old.unlink(missing_ok=True)
