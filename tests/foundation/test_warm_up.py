"""A served app builds the matchmaking index and the clusters at start-up, in the background."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore
from match.cache import current
from tests.contract.fixture_graph import fixture_changes


def test_start_up_warms_the_match_index(embedded_store: GraphStore) -> None:
    embedded_store.apply(fixture_changes())
    assert current(embedded_store) is None
    app = create_app(embedded_store, warm_up=True)
    with TestClient(app):
        app.state.warm_up.join(60)
        assert not app.state.warm_up.is_alive()
        index = current(embedded_store)
        assert index is not None and index.version == embedded_store.version()


def test_what_the_warm_up_kept_is_left_out_of_the_collectors_scans(embedded_store: GraphStore) -> None:
    # At ×100 the kept analyses made each full collection 0.18–0.33 s, a pause in any request.
    embedded_store.apply(fixture_changes())
    gc.unfreeze()
    app = create_app(embedded_store, warm_up=True)
    try:
        with TestClient(app):
            app.state.warm_up.join(60)
            assert not app.state.warm_up.is_alive()
            assert gc.get_freeze_count() > 0
            index = current(embedded_store)
            assert index is not None
            assert not gc.is_tracked(index) or index not in gc.get_objects(), "the index was frozen"
    finally:
        gc.unfreeze()


def test_apps_around_a_given_store_do_not_warm_up_by_default(embedded_store: GraphStore) -> None:
    app = create_app(embedded_store)
    with TestClient(app):
        assert app.state.warm_up is None
