"""One error tree (graph/errors.py): ``except InnoGraphError`` catches every error InnoGraph raises
on purpose, and checks that used to be ``assert`` raise a named error even under ``python -O``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.config import Settings, open_store
from graph.errors import ConfigError, InnoGraphError

LIBRARY = ("graph", "ingest", "api", "analytics", "match", "text", "innograph_cli")
ROOT = Path(__file__).resolve().parents[2]


def _library_exceptions() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for package_name in LIBRARY:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            module = importlib.import_module(info.name)
            for name, obj in vars(module).items():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, BaseException)
                    and obj.__module__ == module.__name__
                    and not name.startswith("_")  # private signals (a framework's 413, a retry marker)
                ):
                    found[f"{module.__name__}.{name}"] = obj
    return found


def test_every_public_exception_is_in_the_one_tree() -> None:
    found = _library_exceptions()
    assert len(found) >= 20, sorted(found)  # the walk really found the library's errors
    outside = sorted(name for name, cls in found.items() if not issubclass(cls, InnoGraphError))
    assert outside == []


def test_the_tree_lives_in_one_module() -> None:
    homes = {cls.__module__ for cls in _library_exceptions().values()}
    # RestoreWouldLoseError reads a RestoreReport; the builder's two are its own row signals.
    assert homes <= {"graph.errors", "graph.embedded_files", "ingest.builder"}, homes


def test_neo4j_without_a_uri_is_a_config_error_not_an_assert() -> None:
    # Before: `assert settings.neo4j_uri is not None` — an AssertionError, or under python -O a
    # driver error about None.
    with pytest.raises(ConfigError, match="NEO4J_URI"):
        open_store(Settings(store="neo4j"))


def test_the_config_check_holds_under_python_dash_o() -> None:
    code = (
        "from graph.config import Settings, open_store\n"
        "from graph.errors import ConfigError\n"
        "try:\n    open_store(Settings(store='neo4j'))\n"
        "except ConfigError as e:\n    print('ConfigError', e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-O", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.startswith("ConfigError INNOGRAPH_STORE=neo4j needs NEO4J_URI"), out.stderr


def test_settings_the_api_reads_are_config_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad server settings fail start-up with a ConfigError (a ValueError too) naming the setting."""
    from api.costly import Admission
    from api.disclosure import DisclosureRule
    from api.middleware import max_body_bytes_from_env

    with pytest.raises(ConfigError, match="INNOGRAPH_MAX_RECOMPUTES"):
        Admission(0, 16)
    with pytest.raises(ConfigError, match="at least 3 reporting firms"):
        DisclosureRule(min_firms=2)
    monkeypatch.setenv("INNOGRAPH_MAX_BODY_BYTES", "lots")
    with pytest.raises(ConfigError, match="INNOGRAPH_MAX_BODY_BYTES"):
        max_body_bytes_from_env()
