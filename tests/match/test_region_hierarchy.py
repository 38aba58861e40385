"""Issue #11 finding 5: region codes form one hierarchy.

Universities from the MoE list carry their province code (天津大学 → ``120000``, IN_REGION
``region:120000``), firms a district (``1201xx``). A four-digit prefix put them in different
cities, so Tianjin universities were never local to Tianjin firms and the documented
``--region 1201`` found none of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.roles import is_local
from graph.changeset import ChangeSet
from graph.model import NodeLabel as L
from graph.model import RelType as R
from graph.regions import RegionCodeError, RegionHierarchy, normalize_code
from graph.store import GraphStore
from match import signals
from match.cache import index_for
from match.index import MatchIndex
from match.partners import PartnerQuery, find_partners
from tests.conftest import SHARED_DATA, use_embedded_cli
from tests.match.fixture import EXISTING_PARTNER, FIRM, NEW_PARTNER, matching_changes
from text.pipeline import get_nlp

STRUCTURE = RegionHierarchy()  # by code structure alone
DATA = RegionHierarchy.from_admin_divisions(SHARED_DATA / "cn-admin-divisions-2023")


@pytest.mark.parametrize("h", [STRUCTURE, DATA], ids=["structure", "admin-divisions"])
def test_hierarchy(h: RegionHierarchy) -> None:
    assert h.ancestors("120110") == ["120100", "120000"]
    assert h.ancestors("120110001") == ["120110", "120100", "120000"]
    assert h.contains("12", "120110") and h.contains("1201", "120110") and h.contains("120110", "120110")
    # A municipality is one city: 1201 holds a university placed only at 天津市 (120000) ...
    assert h.contains("1201", "120000") and h.same_city("120000", "120110")
    # ... but a district does not (where in Tianjin is unknown), nor does another province's city.
    assert not h.contains("120110", "120000")
    assert not h.contains("1301", "130000") and not h.same_city("130000", "130102")
    assert h.same_city("130102", "130104") and not h.same_city("130102", "130202")
    assert h.city_of("500235") == "500000"  # 重庆 云阳县 (5002xx 县) is in the one city 重庆


def test_admin_data_names_and_agrees_with_the_structure() -> None:
    assert DATA.name("120110") == "东丽区" and DATA.name("120000") == "天津市"
    assert all(STRUCTURE.parent(code) == parent for code, parent in DATA.parents.items())


def test_codes_are_checked() -> None:
    assert normalize_code("1201") == "120100"
    with pytest.raises(RegionCodeError, match="not a region code"):
        normalize_code("12011")
    with pytest.raises(RegionCodeError, match="not a region code"):
        normalize_code("2023")  # a year, not a province


def _graph_with_province_level_university() -> ChangeSet:
    """The matchmaking fixture, with 天津大学 placed as the reference loader places it."""
    cs = matching_changes()
    cs.nodes[L.UNIVERSITY][NEW_PARTNER]["regionCode"] = "120000"
    del cs.rels[(R.IN_REGION, NEW_PARTNER, "region:120104")]
    cs.add_node(L.REGION, {"id": "region:120000", "name": "天津市", "code": "120000", "level": "province"})
    cs.add_relationship(R.IN_REGION, (L.UNIVERSITY, NEW_PARTNER), (L.REGION, "region:120000"))
    return cs


def test_tianjin_university_is_local_to_a_tianjin_firm() -> None:
    from graph.embedded import EmbeddedStore

    store = EmbeddedStore(None)
    store.apply(_graph_with_province_level_university())
    index = MatchIndex.from_graph(store.projection(), get_nlp(), version=store.version())
    geo = signals.geography(index, FIRM)
    assert geo[index.actor_pos[NEW_PARTNER]] == 0.5  # same city: 天津市
    assert geo[index.actor_pos["uni:far"]] == 0.0


def test_region_filter_uses_the_hierarchy_on_both_stores(store: GraphStore) -> None:
    store.apply(_graph_with_province_level_university())
    index = index_for(store)
    types = (L.UNIVERSITY, L.RESEARCH_INSTITUTE)

    def found(region: str) -> set[str]:
        result = find_partners(index, PartnerQuery(FIRM, types=types, region=region, limit=50))
        # Existing partners are listed apart from new suggestions; the region filters both.
        return {m.candidate for m in [*result.matches, *result.existing]}

    everyone = found("12")
    assert NEW_PARTNER in everyone and EXISTING_PARTNER in everyone
    assert found("1201") == everyone  # the documented --region 1201
    assert found("120000") == everyone
    assert found("120110") == {EXISTING_PARTNER}  # 东丽区 only: 天津大学's district is unknown
    assert found("3301") == set()


def test_plan_locality_uses_the_hierarchy() -> None:
    university = {"regionCode": "120000"}
    assert is_local(university, prefixes=("1201",), cities=())
    assert is_local({"regionCode": "120110"}, prefixes=("12",), cities=())
    assert not is_local({"regionCode": "330100"}, prefixes=("1201",), cities=())


def test_api_region_parameter_on_both_stores(store: GraphStore) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    store.apply(_graph_with_province_level_university())
    client = TestClient(create_app(store, public_read=True))

    def found(region: str) -> set[str]:
        response = client.get(
            f"/api/v1/enterprises/{FIRM}/partners",
            params={"region": region, "type": "University,ResearchInstitute", "limit": 50},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        return {m["candidate"]["id"] for m in [*body["matches"], *body["existingPartners"]]}

    assert found("1201") == {NEW_PARTNER, EXISTING_PARTNER}
    assert found("120110") == {EXISTING_PARTNER}
    wrong = client.get(f"/api/v1/enterprises/{FIRM}/partners", params={"region": "12011"})
    assert wrong.status_code == 422 and "not a division code" in wrong.json()["detail"]


def test_cli_region_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from innograph_cli.main import app

    use_embedded_cli(monkeypatch, tmp_path, _graph_with_province_level_university())
    found = {}
    for region in ("1201", "120110"):
        result = CliRunner().invoke(
            app,
            [
                "partners",
                FIRM,
                "--json",
                "--region",
                region,
                "--type",
                "University",
                "--type",
                "ResearchInstitute",
            ],
        )
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        found[region] = {m["candidate"]["id"] for m in [*body["matches"], *body["existingPartners"]]}
    assert found == {"1201": {NEW_PARTNER, EXISTING_PARTNER}, "120110": {EXISTING_PARTNER}}
