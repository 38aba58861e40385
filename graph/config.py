"""Configuration from the environment, and the one place that picks a store."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from graph.errors import ConfigError
from graph.store import GraphStore

StoreKind = Literal["embedded", "neo4j"]
NEEDS_URI = "INNOGRAPH_STORE=neo4j needs NEO4J_URI (e.g. bolt://127.0.0.1:7687)"


@dataclass(frozen=True)
class Settings:
    store: StoreKind = "embedded"
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    data_dir: Path = Path("var")

    @property
    def embedded_path(self) -> Path:
        return self.data_dir / "graph.innograph"

    @classmethod
    def from_env(cls) -> Settings:
        uri = os.environ.get("NEO4J_URI") or None
        # Neo4j is used when asked for, or when a URI is configured and nothing else is asked.
        kind = os.environ.get("INNOGRAPH_STORE") or ("neo4j" if uri else "embedded")
        if kind not in ("embedded", "neo4j"):
            raise ConfigError(f"INNOGRAPH_STORE must be 'embedded' or 'neo4j', not {kind!r}")
        if kind == "neo4j" and not uri:
            raise ConfigError(NEEDS_URI)
        return cls(
            store=kind,  # type: ignore[arg-type]
            neo4j_uri=uri,
            neo4j_user=os.environ.get("NEO4J_USER") or None,
            neo4j_password=os.environ.get("NEO4J_PASSWORD") or None,
            neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
            data_dir=Path(os.environ.get("INNOGRAPH_DATA_DIR", "var")),
        )


def open_store(settings: Settings | None = None) -> GraphStore:
    """Open the configured store (embedded by default)."""
    settings = settings or Settings.from_env()
    if settings.store == "neo4j":
        # Imported here so the embedded default never needs the driver loaded.
        from graph.neo4j_store import Neo4jStore

        if settings.neo4j_uri is None:  # from_env checks it; Settings made in code may not
            raise ConfigError(NEEDS_URI)
        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            database=settings.neo4j_database,
        )
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.embedded_path)
