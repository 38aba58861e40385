"""Spelling evidence for Latin-script names: typos, pinyin words and truncated names.

Three questions the resolver asks of a Latin word that almost matches:

- **Is it pinyin?** ``HUAXING`` is 华兴 and ``HUAXIN`` 华新: two firms one letter apart. A word
  that splits into pinyin syllables may be another Chinese name, so one edit from a rendered
  name is not a typo; ``BEIING`` does not split, so it is ``BEIJING`` mistyped
  (:func:`is_pinyin_word`).
- **Is it two neighbours swapped?** ``ELWAH`` / ``ELWHA``: a slip of the fingers, not another
  name (:func:`is_transposition`).
- **Was the name cut off?** Derwent / Lens assignee names are at most 30 characters: ``GEN
  ATOMICS AERONAUTICAL SYSTE`` is ``… SYSTEMS``. A 30-character name whose last word is the
  start of exactly one vocabulary word gets that word back (:func:`untruncate`).

Blocking needs typos to meet their word at all: :func:`deletion_keys` gives the one-deletion
neighbourhood of a word (SymSpell's idea), so ``ELWAH`` and ``ELWHA`` share ``ELWA``/``ELWH``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA, Levenshtein

from ingest.names import abbreviation_vocabulary
from ingest.pinyin_words import is_pinyin_word

__all__ = ["deletion_keys", "is_pinyin_word", "is_transposition", "is_typo", "untruncate"]

#: Derwent's assignee field (what Lens shows) holds 30 characters.
TRUNCATED_LENGTH: Final = 30
#: Words shorter than this have too many neighbours for one edit to be a typo.
MIN_TYPO_LENGTH: Final = 5


def is_transposition(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with two neighbouring letters swapped (``ELWAH`` / ``ELWHA``)."""
    return a != b and OSA.distance(a, b) == 1 and Levenshtein.distance(a, b) == 2


def is_typo(a: str, b: str) -> bool:
    """One edit, or one swap of neighbours, in Latin words of :data:`MIN_TYPO_LENGTH`+ letters."""
    return (
        a != b
        and min(len(a), len(b)) >= MIN_TYPO_LENGTH
        and a.isascii()
        and b.isascii()
        and OSA.distance(a, b) <= 1
    )


def deletion_keys(word: str) -> set[str]:
    """``word`` with one letter deleted, each way (for words of :data:`MIN_TYPO_LENGTH`+ letters)."""
    if len(word) < MIN_TYPO_LENGTH:
        return set()
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@lru_cache(maxsize=65536)
def untruncate(name: str) -> str:
    """A name cut at :data:`TRUNCATED_LENGTH` characters with its last word completed, when that
    word is the start of exactly one vocabulary word (``… AERONAUTICAL SYSTE`` → ``… SYSTEM``) or
    only of legal forms (``… CO LT`` → ``… CO``); any other name unchanged.

    >>> untruncate("GEN ATOMICS AERONAUTICAL SYSTE")
    'GEN ATOMICS AERONAUTICAL SYSTEM'
    """
    text = name.strip()
    if len(text) != TRUNCATED_LENGTH or not text.isascii():
        return name
    head, _, last = text.rpartition(" ")
    word = last.upper()
    if not head or len(word) < 3 or not word.isalpha():
        return name
    canonical, legal = abbreviation_vocabulary()
    if word in canonical or word in legal:
        return name
    completions = {canonical[v] for v in canonical if v.startswith(word)}
    if len(completions) == 1:
        return f"{head} {completions.pop()}"
    if not completions and any(v.startswith(word) for v in legal):
        return head
    return name
