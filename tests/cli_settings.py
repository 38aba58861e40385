"""Point the CLI's settings at a test's store: the job commands (``innograph index build``,
``innograph analyses build``) read the same environment an API process does."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import GraphStore


def point_cli_at(monkeypatch: pytest.MonkeyPatch, store: GraphStore, data_dir: Path) -> None:
    """``INNOGRAPH_DATA_DIR`` and the store settings for ``store`` (each store in turn); the
    job switches ``INNOGRAPH_INDEX`` / ``INNOGRAPH_ANALYSES`` unset, so each test sets its own."""
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(data_dir))
    for name in ("INNOGRAPH_INDEX", "INNOGRAPH_ANALYSES"):
        monkeypatch.delenv(name, raising=False)
    if store.kind == "neo4j":
        monkeypatch.setenv("INNOGRAPH_STORE", "neo4j")
        monkeypatch.setenv("NEO4J_URI", str(store.health()["uri"]))
    else:
        monkeypatch.setenv("INNOGRAPH_STORE", "embedded")
        monkeypatch.delenv("NEO4J_URI", raising=False)
