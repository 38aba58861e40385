"""One IPC vocabulary: ingest, matchmaking, analytics, person linking and the API agree.

Before graph/ipc.py the rules lived in four places: ingest minted ``ipc:H01L33/00`` while the
API looked up ``ipc:H01L33`` (never minted, so posted demands never linked their main group),
and ``H01L33/020`` became ``/02`` in ingest but stayed ``/020`` in matchmaking.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analytics.portfolio import ipc_main_group, ipc_subclass, normalise_ipc
from graph import ipc
from ingest.normalize import ipc_hierarchy, parse_ipc
from ingest.persons import ipc_subclass as person_field
from match.ipc import levels, main_group, normalize_ipc

CODES = st.from_regex(r"[A-H][0-9]{2}[A-Z][1-9][0-9]{0,3}/[0-9]{1,6}", fullmatch=True)


def spellings(code: str) -> list[str]:
    """How the same code is written in Lens, CNIPA, EPO and PatSnap exports."""
    head, sub = code.split("/")
    group = head[4:]
    return [
        code,
        f"{head[:4]} {group}/{sub}",
        f"{head[:4]}{group.zfill(4)}{sub.ljust(6, '0')}",
        f"{code.lower()} (2006.01)",
        f"{head[:4]}  {group} / {sub}".replace(" / ", "/"),
    ]


@given(CODES)
def test_every_user_of_ipc_codes_agrees(code: str) -> None:
    canonical = parse_ipc(code)  # what ingest stores and mints ipc:<code> for
    minted = {f"ipc:{c}" for c, _ in ipc_hierarchy(canonical)}
    for written in spellings(code):
        assert parse_ipc(written) == canonical
        assert normalize_ipc(written) == canonical  # matchmaking and the API's demand codes
        assert normalise_ipc(written) == canonical  # analytics
        sub, group = levels(normalize_ipc(written) or "")
        assert ipc_main_group(written) == group == f"{canonical.split('/')[0]}/00"
        assert ipc_subclass(written) == sub == person_field(written) == canonical[:4]
        # Every node a posted demand links to exists in an ingested graph.
        assert set(ipc.lookup_ids(canonical)) <= minted


def test_trailing_zero_subgroup_is_one_code_everywhere() -> None:
    assert (
        parse_ipc("H01L33/020") == normalize_ipc("H01L33/020") == normalise_ipc("H01L33/020") == "H01L33/02"
    )


def test_main_group_is_the_node_ingest_mints() -> None:
    assert main_group("H01L33/48") == "H01L33/00"
    assert ("H01L33/00", "group") in ipc_hierarchy(parse_ipc("H01L 33/48"))
    assert ipc.lookup_ids("H01L33/48") == ["ipc:H01L33/48", "ipc:H01L33/00", "ipc:H01L"]


def test_lenient_reading_for_free_text() -> None:
    assert normalize_ipc("H01L 33") == "H01L33/00"
    assert normalize_ipc("B64C 39/020; G05D 1/00") == "B64C39/02"
    assert normalize_ipc("drone") is None
    assert normalize_ipc("B64C") == "B64C"
