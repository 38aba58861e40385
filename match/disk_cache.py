"""The match index on disk, for the CLI: one build per graph version, not one per command.

Every ``innograph partners`` / ``match-demand`` call is a new process, and building the index
reads and tokenises the whole graph (seconds). The built index is pickled to
``$INNOGRAPH_DATA_DIR/match-index/<key>.pkl``, the key naming the store (its path or URI), the
graph version, its node and relationship counts (a store re-created at the same place starts its
versions again) and the source of the index code (a new release never reads an old layout).
Loading it takes a fraction of a second (the gazetteer is rebuilt when first used). The files
are written by the same user that reads them (pickle is not for files from elsewhere); only the
latest file per store is kept. The API keeps its index in memory and does not use this.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from importlib import resources
from pathlib import Path

from spacy.language import Language

from graph.store import GraphStore
from match import cache
from match.index import MatchIndex
from text.pipeline import get_nlp

log = logging.getLogger(__name__)

#: The code whose change makes a saved index stale (through importlib.resources, so an installed
#: wheel finds it as a checkout does).
_CODE = [
    resources.files("match").joinpath("index.py"),
    resources.files("match").joinpath("text_rank.py"),
    resources.files("text").joinpath("pipeline.py"),
]


def index_dir() -> Path:
    return Path(os.environ.get("INNOGRAPH_DATA_DIR", "var")) / "match-index"


def _store_name(store: GraphStore) -> str:
    health = store.health()
    where = health.get("path") or health.get("uri") or type(store).__name__
    return hashlib.sha256(str(where).encode()).hexdigest()[:16]


def _key(store: GraphStore, version: int) -> str:
    counts = store.counts()
    code = hashlib.sha256(b"".join(p.read_bytes() for p in _CODE)).hexdigest()[:12]
    shape = f"{counts.nodes}-{sum(counts.relationships.values())}"
    return f"{_store_name(store)}-v{version}-{shape}-{code}"


def load_or_build(store: GraphStore, nlp: Language | None = None) -> MatchIndex:
    """The index of the store's current version: from disk when saved, else built and saved.
    Either way it becomes the process's cached index (:func:`match.cache.index_for`)."""
    nlp = nlp or get_nlp()
    version = store.version()
    path = index_dir() / f"{_key(store, version)}.pkl"
    if path.exists():
        try:
            with path.open("rb") as fh:
                state = pickle.load(fh)  # our own file, see the module docstring
            index = MatchIndex.__new__(MatchIndex)
            index.__dict__.update(state)
            index.nlp = nlp  # the gazetteer is rebuilt on first use (MatchIndex.gazetteer)
            if index.version == version:
                cache.prime(store, index)
                return index
        except Exception:  # a damaged or foreign file: rebuild and overwrite it
            log.warning("match index on disk %s unreadable; rebuilding", path, exc_info=True)
    index = cache.index_for(store, nlp)
    _save(index, path)
    return index


def _save(index: MatchIndex, path: Path) -> None:
    state = {k: v for k, v in index.__dict__.items() if k not in ("nlp", "_gazetteer")}
    state["memo"] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    prefix = path.name.split("-v", 1)[0]
    for old in path.parent.glob(f"{prefix}-v*.pkl"):
        if old != path:
            old.unlink(missing_ok=True)
