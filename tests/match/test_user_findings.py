"""Issue #12's findings from trying matchmaking as a new user, one test each.

Each test fails on the code before the fix (noted per test).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel as L
from graph.model import RelType as R
from innograph_cli.main import app
from match.demands import DEMAND_WEIGHTS, match_profile, text_profile
from match.index import MatchIndex
from match.partners import PartnerQuery, find_partners
from tests.conftest import use_embedded_cli
from tests.match.fixture import FIRM, HEAT_PATENT, NEW_PARTNER, _patent, matching_changes
from text.pipeline import get_nlp, terms

BRANCH = "ent:led-branch"
NEWCOMER = "ent:new"


def extra_changes() -> ChangeSet:
    """The fixture plus: a granted twin of the heat-sink invention (CN…A and CN…B), a branch
    of the LED firm with LED patents of its own, and a firm with no patents at all."""
    cs = ChangeSet()
    for number in ("CN104000001A", "CN104000001B"):
        _patent(
            cs,
            f"patent:{number}",
            "一种大功率LED灯具散热鳍片结构",
            ["F21V29/76"],
            2014,
            [(L.UNIVERSITY, NEW_PARTNER)],
        )
    cs.add_node(
        L.ENTERPRISE, {"id": BRANCH, "name": "天津晶辉光电科技有限公司东丽分公司", "regionCode": "120110"}
    )
    _patent(cs, "patent:branch-1", "一种LED封装支架", ["H01L33/48"], 2013, [(L.ENTERPRISE, BRANCH)])
    cs.add_node(
        L.ENTERPRISE,
        {"id": NEWCOMER, "name": "天津新来照明有限公司", "description": "LED照明灯具散热设计"},
    )
    cs.add_relationship(R.IN_INDUSTRY, (L.ENTERPRISE, NEWCOMER), (L.INDUSTRY, "industry:sei-led"))
    return cs


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> MatchIndex:
    store = EmbeddedStore(tmp_path_factory.mktemp("findings") / "graph.innograph")
    store.apply(matching_changes())
    store.apply(extra_changes())
    return MatchIndex.from_graph(store.projection(), get_nlp())


def test_demand_results_list_one_invention_once_with_all_its_publications(index: MatchIndex) -> None:
    # Before: CN104000001A and CN104000001B were two results.
    result = match_profile(index, text_profile(index, "大功率LED灯具散热鳍片"), types=[L.PATENT], limit=10)
    items = [m.item for m in result.matches]
    assert len({"patent:CN104000001A", "patent:CN104000001B"} & set(items)) == 1
    twin = next(m for m in result.matches if m.item.startswith("patent:CN104000001"))
    assert sorted(twin.publications) == ["patent:CN104000001A", "patent:CN104000001B"]


def test_demand_text_does_not_match_on_stop_words() -> None:
    # Before: 如, 包括, 针对 and 时 were terms, so demands matched patents on them.
    tokens = terms(get_nlp(), "针对LED散热时，如包括铝基板")
    assert not {"如", "包括", "针对", "时"} & set(tokens)
    assert "散热" in tokens


def test_off_topic_demand_gets_no_match_and_the_reason(index: MatchIndex) -> None:
    # Before: an off-topic demand got five weak suggestions and no notice.
    result = match_profile(index, text_profile(index, "果醋发酵工艺的菌种选育"), limit=5)
    assert result.matches == [] and result.notice is not None and "no good match" in result.notice
    on_topic = match_profile(index, text_profile(index, "大功率LED散热器"), limit=5)
    assert on_topic.matches and on_topic.notice is None


def test_free_text_demand_gets_ipc_signal_from_named_technology_and_codes(index: MatchIndex) -> None:
    # Before: IPC (and industry) signals were always 0 for free text.
    named = match_profile(index, text_profile(index, "寻求蜂箱改进方案"), types=[L.PATENT])
    assert named.matches[0].item == "patent:far-1" and named.matches[0].signals["ipc"] > 0
    coded = match_profile(index, text_profile(index, "散热", ["F21V 29/51"]), types=[L.PATENT])
    assert coded.matches[0].signals["ipc"] > 0


def test_own_branch_is_shown_apart_not_as_a_partner(index: MatchIndex) -> None:
    # Before: a firm's own branches came first as "partners".
    result = find_partners(index, PartnerQuery(FIRM, types=(L.ENTERPRISE, L.UNIVERSITY), limit=20))
    assert BRANCH not in {m.candidate for m in result.matches}
    assert [m.candidate for m in result.same_group] == [BRANCH]
    assert any("own group" in n for n in result.notices)


def test_firm_without_patents_gets_a_cold_start_notice(index: MatchIndex) -> None:
    # Before: a ranked list of near-zero scores and no notice.
    result = find_partners(index, PartnerQuery(NEWCOMER, types=(L.UNIVERSITY,)))
    assert any(n.startswith("cold start") for n in result.notices)
    assert result.matches and result.matches[0].candidate == NEW_PARTNER  # LED wording and industry


def test_responses_report_the_weights_actually_used(index: MatchIndex) -> None:
    # Before: the partner response reported the module's weights; the demand weights were a
    # hand-made copy in api/routes/matching.py (without the mention bonus).
    custom = {
        "technology": 1.0,
        "network": 0.0,
        "complementarity": 0.0,
        "track_record": 0.0,
        "geography": 0.0,
    }
    assert find_partners(index, PartnerQuery(FIRM), weights=custom).weights == custom
    result = match_profile(index, text_profile(index, "大功率LED散热器"))
    assert result.weights == DEMAND_WEIGHTS and "mentioned" in result.weights


def test_cli_matches_free_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: the CLI could not match free text.
    use_embedded_cli(monkeypatch, tmp_path, matching_changes())
    runner = CliRunner()
    found = runner.invoke(app, ["match-demand", "--text", "大功率LED散热器", "--type", "Patent", "--json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["matches"][0]["candidate"]["id"] == HEAT_PATENT
    none = runner.invoke(app, ["match-demand", "--text", "果醋发酵工艺"])
    assert none.exit_code == 0 and "no good match" in none.stdout
    both = runner.invoke(app, ["match-demand", "demand:heat", "--text", "x"])
    assert both.exit_code == 1


def test_cli_reuses_the_index_saved_on_disk_until_the_graph_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: every CLI call rebuilt the index (~8 s on the demo graph).
    from match import cache

    use_embedded_cli(monkeypatch, tmp_path, matching_changes())
    runner = CliRunner()
    first = runner.invoke(app, ["match-demand", "--text", "大功率LED散热器", "--json"])
    saved = sorted((tmp_path / "match-index").glob("*.pkl"))
    assert first.exit_code == 0 and len(saved) == 1
    cache.clear()  # a new process: nothing in memory
    built: list[object] = []
    monkeypatch.setattr(cache, "build_index", lambda *a, **k: built.append(a) or pytest.fail("rebuilt"))
    second = runner.invoke(app, ["match-demand", "--text", "大功率LED散热器", "--json"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout) == json.loads(first.stdout) and not built
    monkeypatch.undo()
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
    store = EmbeddedStore(tmp_path / "graph.innograph")
    store.apply(extra_changes())  # a new graph version: a new file replaces the old one
    store.close()
    cache.clear()
    third = runner.invoke(app, ["match-demand", "--text", "大功率LED散热器", "--json"])
    assert third.exit_code == 0
    now = sorted((tmp_path / "match-index").glob("*.pkl"))
    assert len(now) == 1 and now != saved


def test_subsidiary_linked_by_the_graph_is_shown_apart(tmp_path: Path) -> None:
    # A subsidiary whose name shares no core with the firm's (so only the SUBSIDIARY_OF that
    # ingest writes, ingest/hierarchy.py, can tell) is its own group, not a suggested partner.
    store = EmbeddedStore(tmp_path / "graph.innograph")
    store.apply(matching_changes())
    cs = ChangeSet()
    cs.add_node(L.ENTERPRISE, {"id": "ent:sub", "name": "东丽光源材料有限公司", "regionCode": "120110"})
    _patent(cs, "patent:sub-1", "一种LED封装支架", ["H01L33/48"], 2013, [(L.ENTERPRISE, "ent:sub")])
    cs.add_relationship(R.SUBSIDIARY_OF, (L.ENTERPRISE, "ent:sub"), (L.ENTERPRISE, FIRM), {"rule": "test"})
    store.apply(cs)
    index = MatchIndex.from_graph(store.projection(), get_nlp())
    result = find_partners(index, PartnerQuery(FIRM, types=(L.ENTERPRISE, L.UNIVERSITY), limit=20))
    assert "ent:sub" not in {m.candidate for m in result.matches}
    assert [m.candidate for m in result.same_group] == ["ent:sub"]
