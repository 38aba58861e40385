"""``innograph keys create|list|revoke``: the API keys of this deployment.

The token is printed once, at creation, on stdout (so it can be piped into a secret store);
only its SHA-256 is kept, in ``$INNOGRAPH_DATA_DIR/api-keys.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.security import KeyFileError, KeyStore, Role
from graph.config import Settings
from innograph_cli.core import console, fail

keys_app = typer.Typer(help="API keys: create (token shown once), list, revoke.", no_args_is_help=True)

MAX_NAME_CHARS = 100


def key_store() -> KeyStore:
    return KeyStore(Path(Settings.from_env().data_dir) / "api-keys.json")


def check_name(name: str) -> str:
    """A key's name is a label for people: printable, one line, bounded."""
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME_CHARS or not clean.isprintable():
        raise ValueError(
            f"a key name must be 1–{MAX_NAME_CHARS} printable characters on one line, not {name[:40]!r}"
        )
    return clean


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="who or what the key is for, e.g. 'web-frontend'")],
    role: Annotated[str, typer.Option(help="reader, analyst, editor or admin")] = "reader",
) -> None:
    """Create a key; its token is printed once and cannot be shown again."""
    try:
        parsed = Role.parse(role)
        key_id, token = key_store().create(check_name(name), parsed)
    except (ValueError, KeyFileError) as e:
        raise fail(str(e)) from e
    console.print(f"created key {key_id} ({parsed.name.lower()}) for {name!r}; the token is shown only now:")
    typer.echo(token)


@keys_app.command("list")
def list_keys(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Every key with its role and dates (never the token)."""
    try:
        keys = key_store().list()
    except KeyFileError as e:
        raise fail(str(e)) from e
    if as_json:
        typer.echo(json.dumps(keys, ensure_ascii=False, indent=2))
        return
    table = Table(title="API keys")
    for column in ("id", "name", "role", "created", "revoked"):
        table.add_column(column)
    for key in keys:
        table.add_row(key["id"], key["name"], key["role"], key["created"], key["revoked"] or "")
    Console().print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="the key's id (see `innograph keys list`)")]) -> None:
    """Revoke a key; requests with it are refused (401) from now on."""
    try:
        revoked = key_store().revoke(key_id)
    except KeyFileError as e:
        raise fail(str(e)) from e
    if not revoked:
        raise fail(f"no active key with id {key_id!r}")
    typer.echo(f"revoked key {key_id}")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
