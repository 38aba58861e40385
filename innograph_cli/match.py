"""Matchmaking commands: ``innograph partners ENTERPRISE`` and ``innograph match-demand DEMAND``
(or ``innograph match-demand --text "…" [--ipc F21V29/00]`` for free text).

Both print what the API returns (``--json``) or a short table; ENTERPRISE and DEMAND are an
id or a name (looked up with :func:`graph.search.search`).

A call after the first answers from the match index saved on disk without opening the store
(``match/disk_cache.py``), and imports only what its answer needs — no spaCy, scikit-learn or
API routes: under a second warm (issue #12; ``python -m bench.match_latency --cli``). A name
that is not exactly one node's name still opens the store for the full-text search.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from graph.model import NodeLabel
from innograph_cli.core import fail, opened_store

if TYPE_CHECKING:
    import networkx as nx

    from match.index import MatchIndex


@contextmanager
def _index() -> Iterator[MatchIndex]:
    """The match index of the configured store's current version: the saved one when the
    store's files are as they were when it was saved, else opened, loaded or built, saved."""
    from graph.config import Settings
    from graph.errors import InnoGraphError
    from match.disk_cache import files_state, load_or_build, load_saved

    try:
        settings = Settings.from_env()
    except InnoGraphError as e:
        raise fail(str(e)) from e
    saved = load_saved(settings)
    if saved is not None:
        yield saved
        return
    before = files_state(settings.embedded_path) if settings.store == "embedded" else None
    with opened_store() as store:
        yield load_or_build(store, files_before=before)


def _projection() -> nx.MultiDiGraph:
    """The graph to learn weights from (``--learned``): the index keeps none, so open the store."""
    from match.cache import projection

    with opened_store() as store:
        return projection(store)


def _resolve(index: MatchIndex, ref: str, label: NodeLabel) -> str:
    """An id, or a name: exactly one node's name in the index, else the store's name search."""
    found = index.label.get(ref)
    if found is not None:
        if found != label:
            raise fail(f"{ref} is a {found.value}, not a {label.value}")
        return ref
    named = [n for n in index.of_label(label) if index.name(n) == ref]
    if len(named) == 1:
        return named[0]
    from graph.search import search

    with opened_store() as store:
        hits = search(store, ref, labels=[label], limit=1)
    if not hits:
        raise fail(f"no {label.value} with id or name {ref!r}")
    return hits[0][0].id


def _print(payload: dict[str, Any], as_json: bool, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

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
    from api.match_responses import partners_response
    from graph.errors import InnoGraphError
    from match.disk_cache import saved_nodes

    with _index() as index:
        firm = _resolve(index, enterprise, NodeLabel.ENTERPRISE)
        try:
            result = partners_response(
                index,
                firm,
                limit=limit,
                offset=0,
                type=type,
                region=region,
                industry=industry,
                exclude_existing=exclude_existing,
                weights="learned" if learned else "hand",
                entities=saved_nodes(index),
                projection=_projection,
            )
        except InnoGraphError as e:
            raise fail(str(e)) from e
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
    from api.schemas import demand_matches_public, parse_types, require_label
    from graph.errors import InnoGraphError
    from match.demands import DEFAULT_SOLVER_TYPES
    from match.demands import match_demand as match
    from match.disk_cache import saved_nodes

    if (demand is None) == (text is None):
        raise fail("give a demand id or title, or --text, not both")
    if ipc and text is None:
        raise fail("--ipc goes with --text (a demand in the graph has its own IPC codes)")
    with _index() as index:
        try:
            if text is not None:
                payload = _match_text(index, text, ipc or [], limit, type)
                _print(payload, as_json, "solvers for the text")
                return
            if demand is None:  # the check above rules it out; said again for the type checker
                raise fail("give a demand id or title, or --text")
            demand_id = _resolve(index, demand, NodeLabel.TECH_DEMAND)
            require_label(index, demand_id, NodeLabel.TECH_DEMAND)
            found = match(
                index, demand_id, types=parse_types(type, DEFAULT_SOLVER_TYPES), limit=limit, offset=0
            )
            result = demand_matches_public(
                index, found, offset=0, limit=limit, financials=False, entities=saved_nodes(index)
            )
        except InnoGraphError as e:
            raise fail(str(e)) from e
    _print(result.model_dump(), as_json, f"solvers for {result.subject.name}")


def _match_text(
    index: MatchIndex, text: str, codes: list[str], limit: int, types: list[str] | None
) -> dict[str, Any]:
    """The demand response's shape for free text (no subject node: the text is not stored)."""
    from api.schemas import evidence_public
    from api.schemas import parse_types as parse
    from match.demands import DEFAULT_SOLVER_TYPES, match_profile, text_profile

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
