"""Organisations and technology terms in free text, from a gazetteer built out of the graph.

Phrases are organisation names and aliases, IPC titles and industry names and keywords, cut
into jieba words (:func:`text.pipeline.segment`) and matched word for word, lower-cased (so
``UNIV TIANJIN`` and ``univ tianjin`` match alike) — what a spaCy ``PhraseMatcher`` on
``LOWER`` did here before, held in plain dicts instead. Why: the gazetteer is saved with the
match index for the CLI, and rebuilding a ``PhraseMatcher`` from the names took seconds per
call (issue #12: warm CLI calls must answer in under a second). Built per graph version by
:mod:`match.index`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from text.pipeline import segment

if TYPE_CHECKING:
    from spacy.language import Language

#: Shorter phrases match too much (``天大`` is Tianjin University but also part of ``天大的``).
MIN_PHRASE_CHARS = 2


@dataclass(frozen=True)
class GazetteerTerm:
    phrase: str
    kind: str  # "ORG", "IPC" or "INDUSTRY"
    entity_id: str


@dataclass(frozen=True)
class Mention:
    text: str
    kind: str
    entity_id: str
    start: int  # character offsets in the input
    end: int


class Gazetteer:
    """Finds gazetteer phrases in text; overlapping hits keep the longest (then earliest).

    ``nlp`` is accepted for the callers that hold one and not read: words come from jieba."""

    def __init__(self, nlp: Language | None, terms: Iterable[GazetteerTerm]) -> None:
        #: lower-cased words of a phrase -> the "KIND|entity" keys it names
        self._phrases: dict[tuple[str, ...], set[str]] = {}
        self._longest = 0
        seen: set[tuple[str, str, str]] = set()
        for term in sorted(terms, key=lambda t: (t.kind, t.entity_id, t.phrase)):
            phrase = term.phrase.strip()
            if len(phrase) < MIN_PHRASE_CHARS or (term.kind, term.entity_id, phrase.lower()) in seen:
                continue
            seen.add((term.kind, term.entity_id, phrase.lower()))
            words = tuple(w.lower() for w, _ in segment(phrase))
            if words:
                self._phrases.setdefault(words, set()).add(f"{term.kind}|{term.entity_id}")
                self._longest = max(self._longest, len(words))
        self.size = len(seen)

    def find(self, text: str) -> list[Mention]:
        """Mentions in ``text``, in text order; each span is claimed by its longest match."""
        if not text or not self._phrases:
            return []
        words = segment(text)
        lower = [w.lower() for w, _ in words]
        raw: list[tuple[int, int, str]] = []
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + self._longest) + 1):
                for key in self._phrases.get(tuple(lower[start:end]), ()):
                    raw.append((start, end, key))

        def chars(start: int, end: int) -> tuple[int, int]:
            return words[start][1], words[end - 1][1] + len(words[end - 1][0])

        spans = sorted(raw, key=lambda s: (-(chars(s[0], s[1])[1] - chars(s[0], s[1])[0]), s[0], s[2]))
        taken: set[int] = set()
        found: list[Mention] = []
        for start, end, key in spans:
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            kind, entity_id = key.split("|", 1)
            first, last = chars(start, end)
            found.append(Mention(text[first:last], kind, entity_id, first, last))
        found.sort(key=lambda m: (m.start, m.kind, m.entity_id))
        return found
