"""Core commands: ``serve``, ``stats``, ``schema``, ``store restore``."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.config import Settings, open_store
from graph.errors import InnoGraphError
from graph.store import GraphStore

console = Console(stderr=True)


class _WarningLine(logging.Handler):
    """The store's warnings (a fold that failed after the write was committed, a backup
    mended at open) as one ``warning:`` line each on stderr, not lost in a log."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"warning: {record.getMessage()}", file=sys.stderr)


for _name in ("graph.embedded", "graph.embedded_files"):
    _store_log = logging.getLogger(_name)
    if not any(isinstance(h, _WarningLine) for h in _store_log.handlers):
        _store_log.addHandler(_WarningLine(logging.WARNING))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as an error and return the Exit to raise."""
    console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@contextmanager
def opened_store() -> Iterator[GraphStore]:
    """The configured store for one command, closed afterwards; an InnoGraph error (or a file
    error) while opening or using it ends the command with its message and exit code 1."""
    try:
        store = open_store()
    except (InnoGraphError, ValueError) as e:
        raise fail(str(e)) from e
    try:
        yield store
    except (InnoGraphError, OSError) as e:
        raise fail(str(e)) from e
    finally:
        store.close()


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
) -> None:
    """Serve the API and the web page (http://HOST:PORT/, API docs at /docs)."""
    import uvicorn

    from api.serving import uvicorn_options

    settings = Settings.from_env()
    try:
        options = uvicorn_options()  # proxy headers only from INNOGRAPH_TRUSTED_PROXIES
    except ValueError as e:
        raise fail(str(e)) from e
    console.print(f"InnoGraph on http://{host}:{port}/ — store: {settings.store}")
    uvicorn.run("api.main:app", host=host, port=port, workers=workers, log_level="info", **options)


def stats(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Node counts per label and relationship counts per type."""
    with opened_store() as store:
        counts = store.counts()
    if as_json:
        typer.echo(
            json.dumps(
                {"store": store.kind, "labels": counts.labels, "relationships": counts.relationships},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    table = Table(title=f"InnoGraph ({store.kind})")
    table.add_column("label / type")
    table.add_column("count", justify="right")
    for name, n in {**counts.labels, **counts.relationships}.items():
        table.add_row(name, str(n))
    Console().print(table)


def schema() -> None:
    """Create Neo4j's constraints and indexes (idempotent; the embedded store needs none)."""
    with opened_store() as store:
        kind = store.kind
    typer.echo(f"schema in place on the {kind} store")


store_app = typer.Typer(help="The embedded store's file.", no_args_is_help=True)


@store_app.command("restore")
def restore(
    accept_loss: Annotated[
        bool,
        typer.Option(
            "--accept-loss",
            help="go ahead even if damaged acknowledged journal entries cannot be recovered "
            "(they are kept in <file>.journal.orphaned)",
        ),
    ] = False,
) -> None:
    """Rebuild the embedded store from its snapshot or backup plus the journal; reports what
    was recovered and refuses to drop an acknowledged write unless --accept-loss."""
    from graph.embedded import restore as restore_store

    settings = Settings.from_env()
    try:
        report = restore_store(settings.embedded_path, accept_loss=accept_loss)
    except (InnoGraphError, OSError) as e:
        raise fail(str(e)) from e
    for line in report.lines():
        typer.echo(line)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(stats)
    app.command()(schema)
    app.add_typer(store_app, name="store")
