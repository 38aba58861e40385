"""Matchmaking commands: ``innograph partners ENTERPRISE`` and ``innograph match-demand DEMAND``
(or ``innograph match-demand --text "…" [--ipc F21V29/00]`` for free text).

Both print what the API returns (``--json``) or a short table; ENTERPRISE and DEMAND are an
id or a name (looked up with :func:`graph.search.search`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from graph.model import NodeLabel
from graph.search import search
from graph.store import GraphStore
from innograph_cli.core import fail, opened_store


def _resolve(store: GraphStore, ref: str, label: NodeLabel) -> str:
    node = store.get_node(ref)
    if node is not None:
        if node.label != label:
            raise fail(f"{ref} is a {node.label.value}, not a {label.value}")
        return node.id
    hits = search(store, ref, labels=[label], limit=1)
    if not hits:
        raise fail(f"no {label.value} with id or name {ref!r}")
    return hits[0][0].id


def _print(payload: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    for notice in [payload.get("notice"), *(payload.get("notices") or [])]:
        if notice:
            typer.echo(f"note: {notice}")
    table = Table(title=title)
    for column in ("#", "candidate", "type", "score", "why"):
        table.add_column(column)
    for rank, match in enumerate(payload["matches"], 1):
        why = "; ".join(p["summary"] for p in match["evidence"][:2])
        cand = match["candidate"]
        table.add_row(str(rank), f"{cand['name']} ({cand['id']})", cand["type"], f"{match['score']:.3f}", why)
    Console().print(table)


def partners(
    enterprise: Annotated[str, typer.Argument(help="enterprise id or name")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    type: Annotated[
        list[str] | None,
        typer.Option("--type", help="University, ResearchInstitute, Person, Enterprise (repeatable)"),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(help="region id, region code (12, 1201, 120110: everything inside it) or city"),
    ] = None,
    industry: Annotated[str | None, typer.Option(help="industry id or code prefix")] = None,
    exclude_existing: Annotated[
        bool, typer.Option("--exclude-existing", help="leave out existing partners")
    ] = False,
    learned: Annotated[
        bool, typer.Option("--learned", help="rank with weights learned from the graph's own history")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (the API's response)")] = False,
) -> None:
    """Rank research partners for an enterprise, with evidence."""
    from api.routes.matching import get_partners
    from api.security import ANONYMOUS
    from match.disk_cache import load_or_build

    with opened_store() as store:
        firm = _resolve(store, enterprise, NodeLabel.ENTERPRISE)
        load_or_build(store)  # the index saved on disk for this graph version, if any
        result = get_partners(
            store,
            ANONYMOUS,
            firm,
            limit=limit,
            offset=0,
            type=type,
            region=region,
            industry=industry,
            exclude_existing=exclude_existing,
            weights="learned" if learned else "hand",
        )
    _print(result.model_dump(), as_json, f"partners for {result.enterprise.name}")


def match_demand(
    demand: Annotated[str | None, typer.Argument(help="technology demand id or title")] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="match free text instead of a demand in the graph")
    ] = None,
    ipc: Annotated[
        list[str] | None, typer.Option("--ipc", help="IPC code of the free-text demand (repeatable)")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    type: Annotated[
        list[str] | None,
        typer.Option(
            "--type", help="Patent, TechAchievement, Person, University, ResearchInstitute, Enterprise"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (the API's response)")] = False,
) -> None:
    """Rank the patents, achievements, experts and institutions that can solve a demand
    (a demand in the graph, or free text with ``--text``)."""
    from api.routes.demands import get_demand_matches
    from api.security import ANONYMOUS
    from match.disk_cache import load_or_build

    if (demand is None) == (text is None):
        raise fail("give a demand id or title, or --text, not both")
    if ipc and text is None:
        raise fail("--ipc goes with --text (a demand in the graph has its own IPC codes)")
    with opened_store() as store:
        load_or_build(store)  # the index saved on disk for this graph version, if any
        if text is not None:
            payload = _match_text(store, text, ipc or [], limit, type)
            _print(payload, as_json, "solvers for the text")
            return
        if demand is None:  # the check above rules it out; said again for the type checker
            raise fail("give a demand id or title, or --text")
        demand_id = _resolve(store, demand, NodeLabel.TECH_DEMAND)
        result = get_demand_matches(store, ANONYMOUS, demand_id, limit=limit, offset=0, type=type)
    _print(result.model_dump(), as_json, f"solvers for {result.subject.name}")


def _match_text(
    store: GraphStore, text: str, codes: list[str], limit: int, types: list[str] | None
) -> dict[str, Any]:
    """The demand response's shape for free text (no subject node: the text is not stored)."""
    from api.schemas import evidence_public
    from api.schemas import parse_types as parse
    from match.cache import index_for
    from match.demands import DEFAULT_SOLVER_TYPES, match_profile, text_profile

    index = index_for(store)
    result = match_profile(
        index, text_profile(index, text, codes), types=parse(types, DEFAULT_SOLVER_TYPES), limit=limit
    )
    return {
        "subject": {"text": text, "ipcCodes": codes},
        "total": result.total,
        "weights": result.weights,
        "notice": result.notice,
        "mentions": [vars(m) for m in result.mentions],
        "matches": [
            {
                "candidate": {"id": m.item, "type": index.label[m.item].value, "name": index.name(m.item)},
                "score": m.score,
                "signals": m.signals,
                "matchedTerms": m.matched_terms,
                "publications": m.publications,
                "evidence": [evidence_public(p).model_dump() for p in m.evidence],
            }
            for m in result.matches
        ],
    }


def register(app: typer.Typer) -> None:
    app.command()(partners)
    app.command("match-demand")(match_demand)
