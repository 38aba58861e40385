"""Whether a Latin word could be pinyin: the test that tells a typo from another Chinese name.

``HUAXING`` (华兴) and ``HUAXIN`` (华新) are one letter apart and two firms; ``BEIING`` is one
letter from ``BEIJING`` and no Chinese name at all, because it does not split into pinyin
syllables. The syllables are pypinyin's own (every reading of every character it knows).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin.constants import PINYIN_DICT
from pypinyin.contrib.tone_convert import to_normal


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows, without the vowel-less interjections
    (m, n, ng, hm) that would let almost anything split."""
    out: set[str] = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            syllable = to_normal(reading).upper().replace("Ü", "V")
            if re.fullmatch(r"[A-Z]+", syllable) and re.search(r"[AEIOUV]", syllable):
                out.add(syllable)
    return frozenset(out)


@lru_cache(maxsize=65536)
def is_pinyin_word(word: str) -> bool:
    """Whether ``word`` splits into pinyin syllables (``HUAXING`` = HUA XING; ``BEIING`` no).

    >>> is_pinyin_word("HUAXING"), is_pinyin_word("BEIJING"), is_pinyin_word("BEIING")
    (True, True, False)
    """
    word = word.upper()
    if not word.isascii() or not word.isalpha():
        return False
    syllables = _syllables()
    longest = max(map(len, syllables))
    reach = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reach[end] = any(
            reach[start] and word[start:end] in syllables for start in range(max(0, end - longest), end)
        )
    return reach[-1]
