"""schemathesis against the app's own OpenAPI schema: every operation, a bounded number of
generated requests each, on the embedded store with an admin key (so every handler is reached).
Zero 5xx, and every response conforms to the schema (status code, content type, body)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    negative_data_rejection,
    positive_data_acceptance,
)

from api.app import create_app
from api.ratelimit import RateLimiter
from api.security import KeyStore, Role
from graph.embedded import EmbeddedStore
from tests.contract.fixture_graph import fixture_changes

#: Examples per operation: ~20 operations x 25 keeps the whole run well under a minute.
MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """The app on an embedded store in a pytest temp dir, with an admin key; built when the test
    runs (not when the module is imported) and closed after it."""
    workdir: Path = tmp_path_factory.mktemp("fuzz")
    store = EmbeddedStore(workdir / "graph.innograph")
    store.apply(fixture_changes())
    keys = KeyStore(workdir / "api-keys.json")
    _, token = keys.create("fuzz", Role.ADMIN)
    app = create_app(store=store, keys=keys, public_read=True)
    app.state.rate_limiter = RateLimiter(0, 0)
    yield app, token
    store.close()


#: Starlette answers 405 with the ``Allow`` of the first route that matched the path only, not
#: every method of it; a routing-level detail for OPTIONS/TRACE requests, not our handlers.
#: The brief asks for zero 5xx and responses that match the schema. Whether the schema is as
#: strict as the handlers (a 422 for a string the schema allows, e.g. an ill-formed IPC code)
#: is a documentation gap, reported in docs/SECURITY.md rather than failed on here.
EXCLUDED = [allow_header_conformance, positive_data_acceptance, negative_data_rejection]


@pytest.mark.slow
def test_api_conforms_to_its_schema(fuzz_app: tuple[Any, str]) -> None:
    # Every operation of the schema, each a Hypothesis run of its own. (Not @schema.parametrize:
    # that needs the app when the module is imported; schemathesis' lazy fixture loader does not
    # work with this pytest.)
    app, token = fuzz_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    failed: dict[str, str] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"X-API-Key": token}, excluded_checks=EXCLUDED)

        try:
            conforms()
        except Exception as e:  # every operation is run; all failures are reported together
            failed[operation.label] = f"{type(e).__name__}: {e}"[:2000]
    assert failed == {}
