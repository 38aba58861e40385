"""The text pipeline: jieba-segmented blank zh, the graph gazetteer, TF-IDF weighting."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from text.gazetteer import Gazetteer, GazetteerTerm
from text.pipeline import build_nlp, get_nlp, terms
from text.weighting import TermWeights


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def test_pipeline_is_built_once_and_segments_with_jieba(nlp: Language) -> None:
    assert get_nlp() is nlp
    assert nlp.lang == "zh" and nlp.pipe_names == []
    assert nlp.tokenizer.segmenter == "jieba"
    assert next(iter(nlp.make_doc("无人机飞控系统"))).text == "无人机"


def test_terms_drop_stopwords_and_punctuation(nlp: Language) -> None:
    got = terms(nlp, "我们希望寻求LED封装技术，以及无人机的飞控方案。")
    assert "led" in got and "封装" in got and "无人机" in got
    assert not {"我们", "希望", "寻求", "技术", "的", "，", "。"} & set(got)


def test_english_text_tokenises(nlp: Language) -> None:
    assert terms(nlp, "Drone flight control system for a UAV") == ["drone", "flight", "control", "uav"]


def test_gazetteer_finds_organisations_and_terms_longest_first(nlp: Language) -> None:
    gaz = Gazetteer(
        nlp,
        [
            GazetteerTerm("天津大学", "ORG", "uni:tju"),
            GazetteerTerm("UNIV TIANJIN", "ORG", "uni:tju"),
            GazetteerTerm("半导体照明", "INDUSTRY", "industry:led"),
            GazetteerTerm("天津市半导体照明研究所", "ORG", "inst:semi"),
            GazetteerTerm("天", "ORG", "too-short"),
        ],
    )
    found = gaz.find("拟与天津市半导体照明研究所及univ tianjin合作，属半导体照明领域")
    assert [(m.kind, m.entity_id) for m in found] == [
        ("ORG", "inst:semi"),
        ("ORG", "uni:tju"),
        ("INDUSTRY", "industry:led"),
    ]
    text = "拟与天津市半导体照明研究所及univ tianjin合作，属半导体照明领域"
    assert all(text[m.start : m.end] == m.text for m in found)
    assert gaz.find("") == []


def test_gazetteer_accepts_hand_built_docs(nlp: Language) -> None:
    # Components take a ready nlp; a Doc built by hand tokenises as the pipeline would.
    doc = Doc(nlp.vocab, words=["天津大学", "合作"])
    assert doc.text.startswith("天津大学")


def test_tfidf_ranks_the_closer_document_higher(nlp: Language) -> None:
    docs = [terms(nlp, t) for t in ("LED封装结构", "LED散热器", "蜂箱温控", "无人机飞控")]
    weights = TermWeights(docs)
    query = weights.vectors([terms(nlp, "大功率LED散热")])
    sims = (weights.vectors(docs) @ query.T).toarray().ravel()
    assert int(np.argmax(sims)) == 1 and sims[2] == 0 and sims[3] == 0
    assert weights.idf("蜂箱") > weights.idf("led")


def test_empty_corpus_gives_zero_vectors() -> None:
    weights = TermWeights([[], []])
    assert weights.vectors([["x"]]).nnz == 0 and weights.vocabulary_size == 0


def test_build_nlp_downloads_nothing() -> None:
    # A second, independent pipeline builds from installed packages only (no model names).
    assert build_nlp().meta["name"] == "pipeline"
