"""jieba's dictionary in SQLite, so that a short text is cut without loading all of it.

jieba loads its whole dictionary (≈ 500,000 words and prefixes, a 9 MB cache) on its first cut:
about 0.6 s of CPU, most of what a warm ``innograph match-demand --text`` call may spend (issue
#12: under a second). Cutting a text only ever looks up *substrings of that text* in the
dictionary (the word graph of ``Tokenizer.get_DAG``, the route scores of ``calc``, the HMM
fallback for unknown runs), so the entries a text can reach — every substring up to the longest
word, 16 characters — are fetched from this database and handed to a ``jieba.Tokenizer`` as its
dictionary, with the full dictionary's total. The cut is then jieba's own algorithm on the
same numbers: the same words (``tests/text/test_dictionary_db.py`` checks it on real titles).
The database is written once, beside the saved match index (``match/disk_cache.py``).
"""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

with warnings.catch_warnings():  # as in text/pipeline.py: jieba's pkg_resources warning
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    import jieba

#: SQLite's default limit on parameters in one statement is 999.
_BATCH = 900


def write(path: Path) -> None:
    """The default dictionary as jieba loads it (words and their zero-count prefixes)."""
    jieba.initialize()
    freq: dict[str, int] = jieba.dt.FREQ
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        longest = max(len(word) for word in freq)
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("total", jieba.dt.total), ("longest", longest)])
        db.commit()
    finally:
        db.close()
    tmp.replace(path)


class DictionaryCutter:
    """Cuts text as ``jieba.cut`` does, reading the dictionary entries it needs per text."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        self._longest = int(meta["longest"])
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.total = int(meta["total"])
        self._tokenizer.initialized = True  # its dictionary is what words() puts in FREQ

    def _entries(self, text: str) -> dict[str, int]:
        # jieba cuts blocks that never span whitespace, so no looked-up word holds any.
        wanted = sorted(
            {
                run[i:j]
                for run in text.split()
                for i in range(len(run))
                for j in range(i + 1, min(len(run), i + self._longest) + 1)
            }
        )
        found: dict[str, int] = {}
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(batch))  # placeholders only: the words are parameters
            found.update(self._db.execute(f"SELECT word, n FROM freq WHERE word IN ({marks})", batch))
        return found

    def words(self, text: str) -> list[str]:
        """``list(jieba.cut(text, cut_all=False))``. Not thread-safe: callers hold a lock."""
        self._tokenizer.FREQ = self._entries(text)
        return list(self._tokenizer.cut(text, cut_all=False))
