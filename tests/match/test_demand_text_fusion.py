"""The demand text signal is BM25 over words and character bigrams (``match/text_rank.py``).

jieba cuts 燃料电池 as one word in a demand and 燃料 / 电堆 in a patent title, so word TF-IDF
sees nothing in common; the bigrams 燃料 and 料电 do. The old product formula (TF-IDF cosine on
words) ranked a patent sharing only the common word 冷却 above the fuel-cell stack patent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel as L
from match import cache, disk_cache
from match.demands import CHANCE_MEMO_KEY, chance_level, match_profile, solver_signals, text_profile
from match.index import MatchIndex
from tests.match.fixture import NEW_PARTNER, _patent, matching_changes
from text.pipeline import get_nlp, terms

STACK = "patent:stack"
GENERIC = "patent:generic"
DEMAND_TEXT = "燃料电池冷却"


def fuel_cell_changes() -> ChangeSet:
    cs = ChangeSet()
    cs.add_node(L.IPC, {"id": "ipc:H01M8/00", "code": "H01M8/00", "level": "group", "name": "燃料电池"})
    cs.add_node(L.ENTERPRISE, {"id": "ent:stack", "name": "天津氢能科技有限公司"})
    _patent(cs, STACK, "一种燃料电堆", ["H01M8/24"], 2020, [(L.ENTERPRISE, "ent:stack")])
    _patent(cs, GENERIC, "一种冷却装置", ["H01M8/24"], 2020, [(L.UNIVERSITY, NEW_PARTNER)])
    for k, title in enumerate(("一种照明冷却结构", "一种封装冷却方法", "一种灯具冷却组件")):
        _patent(cs, f"patent:bg-{k}", title, ["F21V29/76"], 2019, [(L.UNIVERSITY, "uni:far")])
    return cs


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> MatchIndex:
    store = EmbeddedStore(tmp_path_factory.mktemp("fusion") / "graph.innograph")
    store.apply(matching_changes())
    store.apply(fuel_cell_changes())
    return MatchIndex.from_graph(store.projection(), get_nlp())


def test_the_premise_words_share_nothing(index: MatchIndex) -> None:
    title_words = set(terms(index.nlp, "一种燃料电堆"))
    assert not title_words & set(terms(index.nlp, DEMAND_TEXT))
    assert set(terms(index.nlp, "一种冷却装置")) & set(terms(index.nlp, DEMAND_TEXT))


def test_a_bigram_only_overlap_ranks_first(index: MatchIndex) -> None:
    prof = text_profile(index, DEMAND_TEXT, ["H01M8/24"])
    result = match_profile(index, prof, types=[L.PATENT], limit=5)
    assert [m.item for m in result.matches[:2]] == [STACK, GENERIC]
    # Its holder comes first among organisations too.
    orgs = match_profile(index, prof, types=[L.ENTERPRISE, L.UNIVERSITY], limit=5)
    assert orgs.matches[0].item == "ent:stack"


def test_text_signal_is_scaled_to_the_best_and_cosine_kept(index: MatchIndex) -> None:
    prof = text_profile(index, DEMAND_TEXT, ["H01M8/24"])
    works, actors = solver_signals(index, prof)
    stack = index.work_pos[STACK]
    assert works["text"][stack] == pytest.approx(1.0)
    assert works["cosine"][stack] == 0.0  # word TF-IDF alone would not see it
    assert float(actors["text"].max()) == pytest.approx(1.0)
    assert np.all((works["text"] >= 0) & (works["text"] <= 1))


def test_bm25_state_travels_with_the_index_on_disk(
    index: MatchIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    store = EmbeddedStore(tmp_path / "graph.innograph")
    store.apply(matching_changes())
    store.apply(fuel_cell_changes())
    first = disk_cache.load_or_build(store, index.nlp)
    assert list((tmp_path / "match-index").glob("*.pkl"))
    cache.clear()
    again = disk_cache.load_or_build(store, index.nlp)  # unpickled, not rebuilt
    assert again is not first
    prof = text_profile(again, DEMAND_TEXT, ["H01M8/24"])
    assert match_profile(again, prof, types=[L.PATENT], limit=1).matches[0].item == STACK
    assert again.text_rank.vocab == first.text_rank.vocab


def test_no_good_match_level_travels_with_the_index_on_disk(
    index: MatchIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm CLI call must not calibrate "no good match" again (0.3–0.6 s on the real sets):
    the level is computed at build and saved, and the unpickled index answers from it."""
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    store = EmbeddedStore(tmp_path / "graph.innograph")
    store.apply(matching_changes())
    store.apply(fuel_cell_changes())
    first = disk_cache.load_or_build(store, index.nlp)
    level = first.memo[CHANCE_MEMO_KEY]
    cache.clear()
    again = disk_cache.load_or_build(store, index.nlp)  # unpickled, not rebuilt
    assert again is not first
    assert again.memo[CHANCE_MEMO_KEY] == level
    again.memo.pop(CHANCE_MEMO_KEY)
    assert chance_level(again) == pytest.approx(level)  # the saved level is the computed one
