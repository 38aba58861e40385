"""Loads the Cypher statements in ``cypher/``, one statement per file, once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"


@cache
def cypher(name: str) -> str:
    """The text of ``cypher/<name>.cypher``."""
    path = CYPHER_DIR / f"{name}.cypher"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no Cypher statement named {name!r} in {CYPHER_DIR}") from None


def schema_statements() -> list[str]:
    """``schema.cypher`` split into its statements (the one file that holds several)."""
    text = "\n".join(line for line in cypher("schema").splitlines() if not line.lstrip().startswith("//"))
    return [stmt.strip() for stmt in text.split(";") if stmt.strip()]
