"""Overlapping character bigrams of Chinese text, a second tokenisation beside jieba's words.

jieba cuts a technical compound one way in a title and another way in a query (电动垂直起降 vs
电动 / 垂直 / 起降), and a word the dictionary lacks falls apart into single characters; the
bigrams of each run of Chinese characters match either way. Retrieval over words *and* bigrams
is the usual remedy for Chinese (e.g. the bigram indexes of the NTCIR CLIR runs). Latin text
is left to the word tokens.
"""

from __future__ import annotations

import re
from typing import Final

from text.pipeline import STOPWORDS

_CJK_RUN: Final = re.compile(r"[\u4e00-\u9fff]+")


def cjk_bigrams(text: str) -> list[str]:
    """Every two adjacent Chinese characters of ``text`` (a lone character stands for itself),
    stop-words (一种, 包括 …) left out.

    >>> cjk_bigrams("一种无人机的旋翼")
    ['种无', '无人', '人机', '机的', '的旋', '旋翼']
    """
    out: list[str] = []
    for run in _CJK_RUN.findall(text or ""):
        grams = [run[i : i + 2] for i in range(len(run) - 1)] or [run]
        out.extend(g for g in grams if g not in STOPWORDS)
    return out
