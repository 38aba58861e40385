"""The CLI's fast text path gives the answers of the slow one (issue #12: warm calls < 1 s).

:func:`text.pipeline.segment` cuts with jieba directly instead of through spaCy's ``Doc``,
:class:`text.dictionary_db.DictionaryCutter` cuts from jieba's dictionary in SQLite instead of
the loaded dictionary, and :class:`text.weighting.TermWeights` applies IDF with scipy instead
of scikit-learn's ``transform``. Each is checked against the original on real titles and
abstracts (PatSnap, Chinese; Lens, English) and on whitespace and mixed-script edge cases.
"""

from __future__ import annotations

from pathlib import Path

import jieba
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from bench import real_sets
from text import dictionary_db
from text.pipeline import get_nlp, segment, terms
from text.weighting import TermWeights

EDGE_CASES = [
    "",
    "   ",
    "UNIV  TIANJIN 合作\n\t研发",
    "大功率LED散热器（铝基板）及其制造方法；H01L33/64",
    "电动垂直起降eVTOL飞行器的分布式电推进系统",
    "一种无人机 电池 续航 天津大学",
    "Drone flight-control system, 2.4GHz & 5.8GHz; UAV's battery",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    if not real_sets.shared_data().exists():
        pytest.fail(f"the real files are missing: {real_sets.shared_data()} (set INNOGRAPH_SHARED_DATA)")
    patsnap = real_sets.load_patsnap()[:150]
    lens = real_sets.load_lens()[:60]
    found = [r.title for r in patsnap] + [r.abstract[:300] for r in patsnap[:60]] + [r.title for r in lens]
    return [t for t in found if t] + EDGE_CASES


def test_segment_gives_spacys_tokens_and_offsets(texts: list[str]) -> None:
    nlp = get_nlp()
    for text in texts:
        doc = nlp.make_doc(text)
        want = [(t.text, t.idx) for t in doc if not t.text.isspace()]
        assert segment(text) == want, text


def test_dictionary_cutter_cuts_as_jieba(texts: list[str], tmp_path: Path) -> None:
    path = tmp_path / "dictionary.sqlite"
    dictionary_db.write(path)
    cutter = dictionary_db.DictionaryCutter(path)
    for text in texts:
        assert cutter.words(text) == list(jieba.cut(text, cut_all=False)), text


def test_term_weights_vectors_equal_scikit_learns_transform(texts: list[str]) -> None:
    docs = [terms(None, t) for t in texts]
    fitted, queries = docs[::2], [*docs[1::2], ["从未见过的词", "led", "led"]]
    weights = TermWeights(fitted)
    sk = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, norm="l2", min_df=1, dtype=np.float64)
    sk.fit(fitted)
    assert weights.vocabulary == sk.vocabulary_
    ours = weights.vectors(queries).toarray()
    theirs = sk.transform(queries).toarray()
    assert ours.shape == theirs.shape and np.abs(theirs).sum() > 0
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
