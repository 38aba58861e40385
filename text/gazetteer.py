"""Organisations and technology terms in free text, from a gazetteer built out of the graph.

A spaCy ``PhraseMatcher`` (on lower-cased text, so ``UNIV TIANJIN`` and ``univ tianjin``
match alike) over organisation names and aliases, IPC titles and industry names and
keywords. Built per graph version by :mod:`match.index`; the pipeline itself is shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher

from text.pipeline import _LOCK, make_doc

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
    """Finds gazetteer phrases in text; overlapping hits keep the longest (then earliest)."""

    def __init__(self, nlp: Language, terms: Iterable[GazetteerTerm]) -> None:
        self.nlp = nlp
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._by_key: dict[str, list[GazetteerTerm]] = {}
        seen: set[tuple[str, str, str]] = set()
        for term in sorted(terms, key=lambda t: (t.kind, t.entity_id, t.phrase)):
            phrase = term.phrase.strip()
            if len(phrase) < MIN_PHRASE_CHARS or (term.kind, term.entity_id, phrase.lower()) in seen:
                continue
            seen.add((term.kind, term.entity_id, phrase.lower()))
            key = f"{term.kind}|{term.entity_id}"
            if key not in self._by_key:
                self._by_key[key] = []
            self._by_key[key].append(term)
            with _LOCK:
                pattern = nlp.make_doc(phrase)
            self._matcher.add(key, [pattern])
        self.size = len(seen)

    def find(self, text: str) -> list[Mention]:
        """Mentions in ``text``, in text order; each span is claimed by its longest match."""
        if not text or not self._by_key:
            return []
        doc = make_doc(self.nlp, text)
        with _LOCK:
            raw = self._matcher(doc)
        spans = sorted(
            ((start, end, self.nlp.vocab.strings[key]) for key, start, end in raw),
            key=lambda s: (-(doc[s[0] : s[1]].end_char - doc[s[0] : s[1]].start_char), s[0], s[2]),
        )
        taken: set[int] = set()
        found: list[Mention] = []
        for start, end, key in spans:
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            kind, entity_id = key.split("|", 1)
            span = doc[start:end]
            found.append(Mention(span.text, kind, entity_id, span.start_char, span.end_char))
        found.sort(key=lambda m: (m.start, m.kind, m.entity_id))
        return found
