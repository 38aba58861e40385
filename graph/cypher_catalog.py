"""Loads the Cypher statements in ``graph/cypher/``, one statement per file, once per process.

They are package data read through ``importlib.resources``, so a wheel install (no checkout) has
them too.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from graph.model import ENTITY_LABEL, ORGANIZATION_LABEL, NodeLabel, RelType

CYPHER_PACKAGE = "graph.cypher"


@cache
def cypher(name: str) -> str:
    """The text of ``graph/cypher/<name>.cypher``."""
    path = resources.files(CYPHER_PACKAGE).joinpath(f"{name}.cypher")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no Cypher statement named {name!r} in {CYPHER_PACKAGE}") from None


def schema_statements() -> list[str]:
    """``schema.cypher`` split into its statements (the one file that holds several)."""
    text = "\n".join(line for line in cypher("schema").splitlines() if not line.lstrip().startswith("//"))
    return [stmt.strip() for stmt in text.split(";") if stmt.strip()]


_PLACEHOLDER = re.compile(r"__([A-Z_]+?)__")
_FIXED_LABELS = frozenset({ENTITY_LABEL, ORGANIZATION_LABEL})


def _identifier(value: NodeLabel | RelType | str) -> str:
    """A label or type from the model's allow-lists, as a Cypher identifier; anything else raises."""
    if isinstance(value, NodeLabel | RelType):
        return f"`{value.value}`"
    if value in _FIXED_LABELS:
        return f"`{value}`"
    raise ValueError(f"{value!r} is not a label or relationship type of the model")


@cache
def render(name: str, **identifiers: NodeLabel | RelType | str | tuple[NodeLabel | str, ...]) -> str:
    """``graph/cypher/<name>.cypher`` with its ``__PLACEHOLDER__`` identifiers filled in.

    Only labels and relationship types of the model are accepted (a tuple renders as
    ``A:B``), so no text from a request or a file can reach the statement this way; values
    always travel as parameters.
    """
    text = cypher(name)
    filled = {}
    for key, value in identifiers.items():
        parts = value if isinstance(value, tuple) else (value,)
        filled[key.upper()] = ":".join(_identifier(part) for part in parts)
    missing = set(_PLACEHOLDER.findall(text)) - set(filled)
    if missing:
        raise KeyError(f"graph/cypher/{name}.cypher needs {sorted(missing)}")
    return _PLACEHOLDER.sub(lambda m: filled[m.group(1)], text)
