"""``innograph review list|accept|reject``: act on the pairs an ingest could not decide on."""

from __future__ import annotations

import getpass
import json
from typing import Annotated

import typer
from rich.table import Table

from graph.errors import InnoGraphError
from innograph_cli.core import console, fail, opened_store

review_app = typer.Typer(
    help="Review: the pairs of entities an ingest was unsure about; accept merges, reject keeps apart.",
    no_args_is_help=True,
)


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in a bare container
        return "cli"


@review_app.command("list")
def list_command(
    status: Annotated[
        str | None, typer.Option(help="pending, accepted or rejected (default: pending)")
    ] = "pending",
    show_all: Annotated[bool, typer.Option("--all", help="every status")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    limit: Annotated[int, typer.Option(min=1, help="show at most this many")] = 50,
    grouped: Annotated[
        bool,
        typer.Option("--grouped", help="pending pairs as a person acts on them: one item per person name"),
    ] = False,
) -> None:
    """The stored review pairs, most likely first."""
    from ingest.review import list_reviews

    if grouped:
        _list_groups(as_json=as_json, limit=limit)
        return
    with opened_store() as store:
        reviews = list_reviews(store, None if show_all else status)
    if as_json:
        typer.echo(json.dumps([r.public() for r in reviews[:limit]], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"review: {len(reviews)} {'pairs' if show_all else status}")
    for column in ("id", "status", "score", "mention (left)", "candidate (right)", "records"):
        table.add_column(column, overflow="fold")
    for r in reviews[:limit]:
        table.add_row(
            r.id,
            r.status,
            f"{r.score:.0f}",
            f"{r.left_name}\n[dim]{r.left_id}",
            f"{r.right_name}\n[dim]{r.right_id}",
            ", ".join(r.records[:2]) + (" …" if len(r.records) > 2 else ""),
        )
    console.print(table)
    if len(reviews) > limit:
        console.print(f"… and {len(reviews) - limit} more (--limit)")


def _list_groups(*, as_json: bool, limit: int) -> None:
    from ingest.review_groups import pending_groups

    with opened_store() as store:
        groups = pending_groups(store)
    if as_json:
        typer.echo(json.dumps([g.public() for g in groups[:limit]], ensure_ascii=False, indent=2))
        return
    pairs = sum(len(g.reviews) for g in groups)
    table = Table(title=f"review: {len(groups)} items ({pairs} pending pairs)")
    for column in ("id", "label", "score", "pairs", "names", "records"):
        table.add_column(column, overflow="fold")
    for g in groups[:limit]:
        first = g.reviews[0]
        records = [rec for r in g.reviews for rec in r.records]
        table.add_row(
            g.id,
            g.label or "",
            f"{g.score:.0f}",
            str(len(g.reviews)),
            f"{first.left_name} ↔ {first.right_name}"
            + (f"\n[dim]{len(g.entity_ids)} entities" if len(g.reviews) > 1 else ""),
            ", ".join(records[:2]) + (" …" if len(records) > 2 else ""),
        )
    console.print(table)
    if len(groups) > limit:
        console.print(f"… and {len(groups) - limit} more (--limit)")


def _decide_group(group_id: str, *, accept: bool, note: str | None, by: str | None) -> None:
    from ingest.review_groups import decide_group

    with opened_store() as store:
        try:
            group = decide_group(store, group_id, accept=accept, by=_who(by), note=note)
        except InnoGraphError as e:
            raise fail(str(e)) from e
    verb = "accepted (merged into one)" if accept else "rejected (kept apart)"
    console.print(f"{verb} {group.id}: {group.name}, {len(group.reviews)} pairs")


def _decide(decision_id: str, *, accept: bool, note: str | None, by: str | None) -> None:
    from ingest.review import decide
    from ingest.review_groups import GROUP_PREFIX

    if decision_id.startswith(GROUP_PREFIX):
        _decide_group(decision_id, accept=accept, note=note, by=by)
        return
    with opened_store() as store:
        try:
            review = decide(store, decision_id, accept=accept, by=_who(by), note=note)
        except InnoGraphError as e:
            raise fail(str(e)) from e
    if accept:
        console.print(
            f"accepted {review.id}: {review.left_name} merged into {review.right_name} ({review.right_id})"
        )
    else:
        console.print(f"rejected {review.id}: {review.left_name} and {review.right_name} stay apart")


# accept and reject take the same three inputs; one definition keeps their help identical.
DecisionId = Annotated[
    str,
    typer.Argument(help="the review id (review:…) or group id (reviewgroup:…), from `innograph review list`"),
]
Note = Annotated[str | None, typer.Option(help="why, for the record")]
DecidedBy = Annotated[str | None, typer.Option(help="who decided (default: cli:<user>)")]


@review_app.command("accept")
def accept(
    decision_id: DecisionId,
    note: Note = None,
    by: DecidedBy = None,
) -> None:
    """Accept a pair: merge the mention's entity into the candidate, with provenance."""
    _decide(decision_id, accept=True, note=note, by=by)


@review_app.command("reject")
def reject(
    decision_id: DecisionId,
    note: Note = None,
    by: DecidedBy = None,
) -> None:
    """Reject a pair: the two stay apart, and no later ingest merges them."""
    _decide(decision_id, accept=False, note=note, by=by)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
