"""``innograph spec guess FILE [-o SPEC] [--dry-run]`` and ``innograph spec templates``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graph.errors import InnoGraphError
from innograph_cli.core import console, fail

spec_app = typer.Typer(help="Specs: draft one from a file's headers, list the known-export templates.")


@spec_app.command("guess")
def guess(
    data_file: Annotated[Path, typer.Argument(help="the data file (CSV, XLSX, JSON, JSONL, optionally .gz)")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="where to write the draft (default: FILE.toml)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show the mapping and the unused columns; write nothing")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing spec")] = False,
) -> None:
    """Draft a spec from Chinese and English header synonyms: every column mapped or listed unused."""
    from ingest.known_exports import recognise
    from ingest.readers import read_headers
    from ingest.spec_guess import guess_spec

    target = output or data_file.with_name(data_file.name.split(".")[0] + ".toml")
    try:
        known = recognise(read_headers(data_file))
        draft = guess_spec(data_file, target)
    except InnoGraphError as e:
        raise fail(str(e)) from e
    if known is not None:
        console.print(
            f"{data_file.name} is a known export ({known.title}): `innograph ingest {data_file.name}` "
            "needs no spec. The draft below is for when you want to change the mapping."
        )
    table = Table(title=f"{data_file.name}: {draft.label.value}, key {draft.key}")
    for column in ("field", "header", "type"):
        table.add_column(column)
    for name, (f, header) in draft.mapped.items():
        table.add_row(name, header, f.type + (f" (split on {draft.separators[name]!r})" if f.multi else ""))
    console.print(table)
    console.print(f"unused columns ({len(draft.unused)}): {', '.join(draft.unused) or '(none)'}")
    if dry_run:
        console.print("dry run: no spec written")
        return
    if target.exists() and not force:
        raise fail(f"{target} exists; pass --force to overwrite it, or -o another path")
    target.write_text(draft.toml, encoding="utf-8")
    console.print(f"wrote {target}; check it, then `innograph ingest {target} --dry-run`")


@spec_app.command("templates")
def list_templates() -> None:
    """The known exports `innograph ingest FILE` recognises without a spec."""
    from ingest.known_exports import templates

    table = Table(title="known exports (no spec needed)")
    for column in ("template", "export", "recognised by headers", "tested on a real file"):
        table.add_column(column)
    for t in templates():
        headers = ", ".join(t.doc.get("detect", {}).get("headers", []))
        table.add_row(t.key, t.title, headers, "yes" if t.tested else "no (documented headers)")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(spec_app, name="spec")
