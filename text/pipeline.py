"""The spaCy pipeline: blank ``zh`` segmented by jieba — nothing is downloaded at run time.

A blank pipeline is all matchmaking needs: tokens for term weighting and the graph-built
gazetteer (:mod:`text.gazetteer`). English words pass through jieba whole, so English titles
(the Lens sample) tokenise too. Build it once per process with :func:`get_nlp` and pass it to
whatever needs it.

:func:`terms` and :func:`segment` cut with jieba directly — the tokens spaCy's jieba tokenizer
makes, without its ``Doc`` (``tests/text/test_pipeline.py`` checks they agree on real titles).
Why: spaCy costs a second to import and build, and a warm ``innograph match-demand`` call must
answer in under one (issue #12); the saved match index only needs the tokens.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Final

with warnings.catch_warnings():
    # jieba 0.42 imports pkg_resources, whose deprecation warning would open every CLI answer.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    import jieba

if TYPE_CHECKING:
    from pathlib import Path

    import spacy
    from spacy.language import Language

    from text.dictionary_db import DictionaryCutter

# jieba logs its dictionary build at INFO on first use; that is noise in a CLI's output.
jieba.setLogLevel(logging.WARNING)

#: spaCy's tokenizer is not documented as thread-safe, and the API tokenises on a thread pool.
_LOCK = threading.Lock()

#: Function words and filler common in demand texts and patent titles: they carry no technology.
_ZH_STOPWORDS: Final = (
    "的 了 和 与 及 或 在 是 为 对 等 中 有 一种 一个 其 并 以 于 将 由 被 可 该 所述 本 进行 用于 基于 通过 "
    "我们 我司 公司 企业 需要 需求 希望 寻求 寻找 要求 解决 问题 提供 实现 方面 方法 装置 系统 技术 相关 "
    "具有 能够 目前 现有 以及 如何 这 那 个 上 下 内 外 后 前 用 从 把 使 能 不 也 都 就 而 又 之 各 每 及其 "
    # Connectives users write in demands ("如…", "包括…", "针对…时"): matching on them
    # put unrelated patents on top (a user's finding, issue #12).
    "如 包括 包含 针对 时 当 例如 比如 其中 以便 从而 因此 所以 但 但是 若 如果 则 即 并且 而且 或者 "
    "一 种 可以 需 要 能否 怎样 怎么 什么 哪些 我 你 他 她 它 您 贵 单位 产品 生产 工艺 领域 应用"
)
_EN_STOPWORDS: Final = (
    "a an and the of for in on to with by from or as at is are be this that its method system device "
    "apparatus using use based having such including include includes when which wherein thereof "
    "into than then there these those it we our you your can could may might will would should"
)
STOPWORDS: Final[frozenset[str]] = frozenset(f"{_ZH_STOPWORDS} {_EN_STOPWORDS}".split())
_WORD: Final = re.compile(r"\w", re.UNICODE)


def build_nlp() -> Language:
    """A fresh blank Chinese pipeline with the jieba segmenter."""
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process's one pipeline (building it loads jieba's dictionary: about a second)."""
    return build_nlp()


def make_doc(nlp: Language, text: str) -> spacy.tokens.Doc:
    """Tokenise ``text`` under the pipeline lock."""
    with _LOCK:
        return nlp.make_doc(text)


#: Tokenising is most of an index build; texts rarely change between builds, so remember them.
_TERMS_CACHE: dict[str, tuple[str, ...]] = {}
_TERMS_CACHE_MAX = 400_000


#: Cuts from jieba's dictionary in SQLite (:mod:`text.dictionary_db`) until jieba has loaded its
#: own: a process that cuts a few short texts (a CLI call) never loads the whole dictionary.
_cutter: DictionaryCutter | None = None


def use_dictionary_db(path: Path) -> None:
    """Cut with the dictionary database at ``path`` while jieba has not loaded its dictionary."""
    from text.dictionary_db import DictionaryCutter

    global _cutter
    with _LOCK:
        _cutter = DictionaryCutter(path)


def segment(text: str) -> list[tuple[str, int]]:
    """jieba's words of ``text`` with their character offsets, whitespace left out: the tokens
    of ``nlp.make_doc(text)`` other than its whitespace tokens."""
    with _LOCK:
        if _cutter is not None and not jieba.dt.initialized:
            words = _cutter.words(text)
        else:
            words = list(jieba.cut(text, cut_all=False))
    out: list[tuple[str, int]] = []
    pos = 0
    for word in words:
        if word and not word.isspace():
            out.append((word, pos))
        pos += len(word)
    return out


def terms(nlp: Language | None, text: str) -> list[str]:
    """Lower-cased content tokens of ``text``: no punctuation, numbers-only or stopwords.

    ``nlp`` is not read (the words come from :func:`segment`); callers pass their pipeline."""
    if not text:
        return []
    cached = _TERMS_CACHE.get(text)
    if cached is not None:
        return list(cached)
    found = _terms(text)
    if len(_TERMS_CACHE) >= _TERMS_CACHE_MAX:
        _TERMS_CACHE.clear()
    _TERMS_CACHE[text] = tuple(found)
    return found


def _terms(text: str) -> list[str]:
    out = []
    for token, _ in segment(text):
        word = token.lower().strip()
        if not word or word in STOPWORDS or not _WORD.search(word) or word.isdigit():
            continue
        if len(word) == 1 and word.isascii():
            continue
        out.append(word)
    return out


def forget_terms() -> None:
    """Empty the texts' token cache: for a process that builds once and then only saves or
    exits (the index job), the cache is every text of the graph held for no further build."""
    _TERMS_CACHE.clear()


def terms_many(nlp: Language | None, texts: Iterable[str]) -> list[list[str]]:
    return [terms(nlp, text) for text in texts]
