"""The Neo4j adapter — the store of record, and the only module that imports ``neo4j``.

One driver per process; short sessions; managed transactions (``execute_read`` /
``execute_write``) whose functions are idempotent (MERGE on constraint-backed keys), because
the driver retries them on transient errors. An :meth:`apply` is one write transaction, so a
failure anywhere rolls the whole change set back.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import queue
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit

import networkx as nx
from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationDisabledClassification,
    Result,
    Session,
    unit_of_work,
)
from neo4j.exceptions import (
    AuthError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph.breaker_trace import BreakerTrace
from graph.changeset import ChangeSet, RelRecord
from graph.cypher_catalog import cypher, render, schema_statements
from graph.errors import (
    SchemaMissingError,
    StoreUnavailableError,
    TransactionTooLargeError,
    ValidationError,
)
from graph.model import (
    ANNUAL_FIGURES,
    ENTITY_LABEL,
    NODE_PROPERTIES,
    ORGANIZATION_LABEL,
    ORGANIZATION_LABELS,
    UNION_PROPERTIES,
    NodeLabel,
    RelType,
    primary_label,
)
from graph.records import (
    ApplyResult,
    Direction,
    GraphCounts,
    ListEditionMembers,
    ListMember,
    Member,
    Neighbor,
    NeighborGroup,
    NeighborKey,
    Node,
    NodeRow,
    Relationship,
    ReportSeries,
    YearFigures,
    report_series,
    sorted_members,
)
from graph.search_text import normalize_query
from graph.stamps import ANY, touched
from graph.store import SEARCH_CANDIDATES

BATCH_SIZE = 5_000
#: Transactions that hang are worse than ones that fail: the API maps a timeout to 503. A
#: province (×100) needs more for the whole-graph analysis reads (match index, clusters, monitor:
#: bench.scale measured them past 30 s there), hence ``NEO4J_TX_TIMEOUT_S``.
TX_TIMEOUT_S = float(os.environ.get("NEO4J_TX_TIMEOUT_S", "30"))
#: How long a transaction that met a conflict (a deadlock) is retried, from its first failure,
#: starting at 50 ms and doubling. Only conflicts: the driver's own retry loop is off
#: (``max_transaction_retry_time=0``), because it also retried "database unavailable" — an answer
#: a stopping or starting Neo4j gives only after making the transaction wait
#: (``internal.dbms.transaction_start_timeout``, 1 s by default), so each retry cost another
#: second and users' 503s took 2–7 s (bench.faults outage, docs/RELIABILITY.md). A call whose
#: connection failed at once (one the server had closed) is tried once more on a new one.
MAX_RETRY_S = float(os.environ.get("NEO4J_MAX_RETRY_S", "0.2"))
#: Connecting to a server that accepts but does not answer (shutting down, overloaded) gives up
#: after this long: on loopback or a LAN a second is ample, and a hang is worse than a 503.
CONNECTION_TIMEOUT_S = float(os.environ.get("NEO4J_CONNECTION_TIMEOUT", "1.0"))
#: After Neo4j was found unavailable, calls fail at once (a circuit breaker) instead of each
#: trying to connect again: during an outage the API's 503 is instant. Recovery is found by a
#: background probe — ``cypher/probe.cypher``, a one-row read with a short timeout, every
#: ``NEO4J_PROBE_INTERVAL_S`` — never by a user's request, so a slow write cannot hold the
#: breaker open for everyone, and the first request after Neo4j is back goes straight through.
#: 50 ms: with a starting database answering "unavailable" after 200 ms (the configs we write,
#: docs/NEO4J.md) rather than holding the probe until it is up, the pause between probes is
#: what recovery can lose.
PROBE_INTERVAL_S = float(os.environ.get("NEO4J_PROBE_INTERVAL_S", "0.05"))
#: The probe gives up after this long (connecting and running): an answer slower than this is
#: not a server worth sending users to yet.
PROBE_TIMEOUT_S = float(os.environ.get("NEO4J_PROBE_TIMEOUT_S", "0.5"))
#: When the probe is first answered the breaker does not close at once: the store swaps in a
#: fresh driver (no pooled connection from before the outage) and runs the entity lookup on it;
#: then, while reads flow, the other hot statements, writes waiting for theirs — each against an
#: id no node has, rolled back. A restarted Neo4j has an empty query cache and a cold JVM: its
#: first real query took seconds, and ten users paying it at once is what recovery waited for
#: (docs/RELIABILITY.md). ``0`` closes the breaker as soon as the probe is answered.
RECOVERY_WARMUP = os.environ.get("NEO4J_RECOVERY_WARMUP", "1") != "0"
#: Each warm-up phase's budget (the lookup before the breaker closes; the other reads; the
#: writes' statements, which writes wait for): past it the breaker closes and writes go anyway
#: (the server answered the probe; a slow warm-up must not keep the API down). On a cold server
#: under load one write plan alone took 2.6 s, and a writer that does not wait plans it too.
WARMUP_TIMEOUT_S = float(os.environ.get("NEO4J_WARMUP_TIMEOUT_S", "5.0"))
#: While the recovery's lookup is in flight — the port accepts again, the cold server plans its
#: first query — a user's call waits up to this long for the breaker to close instead of getting
#: its 503 at once, and goes through if it does. An instant 503 invited an instant retry: in
#: bench.faults outage ten clients sent ~300 requests a second into those seconds, and that
#: load, on the two cores the restarting JVM had, was what made its first query slow
#: (docs/RELIABILITY.md, *Held while Neo4j warms*). Only while the port accepts — during the
#: outage itself a 503 stays instant, unless :data:`RECOVERY_HOLD_WHEN` says ``always`` — and
#: at most :data:`RECOVERY_HOLD_MAX` calls at once (a held call holds a request thread); ``0``
#: answers at once, as before.
RECOVERY_HOLD_S = float(os.environ.get("NEO4J_RECOVERY_HOLD_S", "0.5"))
RECOVERY_HOLD_MAX = int(os.environ.get("NEO4J_RECOVERY_HOLD_MAX", "16"))
#: ``recovering`` (the default): hold only while the restarted server is probed; ``always``:
#: also while the port refuses (a call then waits the hold for a 503 that is nearly certain).
RECOVERY_HOLD_WHEN = os.environ.get("NEO4J_RECOVERY_HOLD_WHEN", "recovering")
#: The whole-graph reads (``projection``, ``node_rows``, ``list_history``, ``report_history``)
#: go in pages of this many nodes, one short read transaction each, keyset on ``id``: at a
#: province (×100) one transaction passed ``NEO4J_TX_TIMEOUT_S`` and the driver's record list
#: sat beside the networkx copy (docs/SCALING.md). ``0`` reads in one transaction, as before.
PAGE_SIZE = int(os.environ.get("NEO4J_PAGE_SIZE", "5000"))
#: The smallest page a slow read shrinks to (see ``Neo4jStore._keyset``).
MIN_PAGE_SIZE = 100
#: A paged read that saw the graph's version move (a write between two pages) starts again, at
#: most this many times in all, then fails with a 503: never a mix of two versions.
PAGE_ATTEMPTS = int(os.environ.get("NEO4J_PAGE_ATTEMPTS", "3"))
#: A call still pending after this long has the store check, on a connection of its own, that
#: the database is still there (:meth:`Neo4jStore._watch`): the breaker trips when a call fails,
#: and when every caller is inside a call that a stopping Neo4j holds, none fails (bench.faults
#: outage: ten requests held 1.2 s past the stop with no new call to notice it).
WATCH_AFTER_S = float(os.environ.get("NEO4J_WATCH_AFTER_S", "0.3"))
#: The watcher's full look — ``RETURN 1`` on its one long-lived driver, for a database that
#: answers "unavailable" while its port still accepts — at most this often; in between, every
#: ``max(NEO4J_PROBE_INTERVAL_S, 0.1)``, only a TCP connect to the Bolt port (a refusal is the
#: definite "stopped" that makes in-flight 503s fast). A new driver and ``RETURN 1`` every
#: 0.1 s timed out by the hundred on a busy province server (×100: an index job's calls pending
#: for minutes) and each timeout was an error line in the user's log (issue #17).
WATCH_PROBE_EVERY_S = float(os.environ.get("NEO4J_WATCH_PROBE_EVERY_S", "1.0"))
#: The store's own background threads: what the driver logs on them is the store's business.
_QUIET_THREADS = frozenset({"neo4j-watch", "neo4j-watch-probe", "neo4j-probe"})
_NO_LIMIT = 2**62
T = TypeVar("T")


class _QuietBackground(logging.Filter):
    """Demotes to DEBUG what the driver logs (``neo4j.*``) on the store's watcher and probe
    threads: their connections time out or fail by design while Neo4j is busy or down — the
    breaker's trace (``NEO4J_BREAKER_TRACE``) records each look — and an error line per look
    buried the real errors of a province's index job (issue #17). Records of users' calls are
    untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG and record.threadName in _QUIET_THREADS:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            # A logger's own level was checked before its filters: drop what it would not log.
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


def _quiet_background_threads() -> None:
    """Put :class:`_QuietBackground` on every logger the driver logs connection trouble on
    (a filter applies only to records logged on its own logger, not to its children's)."""
    quiet = _QuietBackground()
    for name in ("neo4j", "neo4j.io", "neo4j.pool", "neo4j.session"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _QuietBackground) for f in logger.filters):
            logger.addFilter(quiet)


_quiet_background_threads()


def _bolt_address(uri: str) -> tuple[str, int]:
    """Host and port of a ``bolt://`` / ``neo4j://`` URI (Bolt's default port when none)."""
    parts = urlsplit(uri)
    return parts.hostname or "localhost", parts.port or 7687


def _conflict(error: Neo4jError) -> bool:
    """A transient error another attempt can get past (two writers' locks): the only one retried.
    Every other transient answer (database unavailable, stopping, starting) trips the breaker."""
    return bool(error.code) and "DeadlockDetected" in str(error.code)


class _Workers:
    """Reused daemon threads for store calls (see :meth:`Neo4jStore._until_tripped`). The
    handover costs 22–51 µs a call, a new thread per call 155–200 µs (in-process, load 8.8; a
    get_node on Neo4j takes ~0.8 ms at best). Not ``concurrent.futures``: its workers are joined
    at exit, so a call cut short and still held by a stopping Neo4j would hold up the process's
    exit. Grows to the peak number of concurrent calls; idle threads wait on the queue."""

    def __init__(self) -> None:
        self._tasks: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0

    def submit(self, task: Callable[[], None]) -> None:
        with self._lock:
            start = self._idle == 0
            if not start:
                self._idle -= 1  # that idle thread takes this task
        if start:
            threading.Thread(target=self._work, name="neo4j-call", daemon=True).start()
        self._tasks.put(task)

    def _work(self) -> None:
        while True:
            self._tasks.get()()  # a task never raises (_until_tripped keeps its outcome)
            with self._lock:
                self._idle += 1


_WORKERS = _Workers()


class _Pending:
    """A store call running on its own thread, which its caller waits for — or for the breaker
    to trip (see :meth:`Neo4jStore._until_tripped`)."""

    __slots__ = ("cut", "error", "finished", "result", "settled", "worker")

    def __init__(self) -> None:
        self.settled = threading.Event()
        self.worker = 0
        self.finished = False
        self.cut = ""
        self.result: Any = None
        self.error: BaseException | None = None


#: "rust" when neo4j-rust-ext's PackStream codec is installed (a dependency), else "python".
DRIVER_CODEC = "rust" if importlib.util.find_spec("neo4j._rust") is not None else "python"


class _GraphMoved(Exception):
    """A write landed between two pages of one paged read: the read starts again."""


class _EndpointsMissing(Exception):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def _node_row(props: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": props["id"],
        "props": {k: v for k, v in props.items() if k not in UNION_PROPERTIES},
    }
    for key in UNION_PROPERTIES:
        row[key] = props.get(key) or None
    return row


def _rel_row(rel: RelRecord) -> dict[str, Any]:
    row: dict[str, Any] = {
        "start": rel.start,
        "end": rel.end,
        "props": {k: v for k, v in rel.props.items() if k not in UNION_PROPERTIES},
    }
    for key in ("sources", "records", "ingestRuns"):
        row[key] = rel.props.get(key) or None
    return row


def _batches(items: Iterable[T], convert: Callable[[T], dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """``convert``ed items in lists of ``BATCH_SIZE``, built only when the previous one is sent."""
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(convert(item))
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _to_node(record: Any) -> Node:
    return Node(record["id"], primary_label(record["labels"]), dict(record["props"]))


def _run_probe(tx: ManagedTransaction, query: str) -> None:
    tx.run(query).consume()


_WARMUP_ID = "warm-up:no-such-node"


def _warmup_statements() -> list[tuple[str, str, dict[str, Any], bool]]:
    """The statements the API's hot paths run (entity lookup, search, neighbours, a demand
    posted), as ``(name, text, parameters, write)`` with parameters of the same types as the real
    calls — Neo4j caches a plan per statement *and* parameter types. Run against an id no node
    has, in transactions that are rolled back: nothing is written, every plan is made."""
    row = _node_row({"id": _WARMUP_ID, "title": "", "status": "open", "sources": ["api"]})
    rel: dict[str, Any] = {
        "start": _WARMUP_ID,
        "end": _WARMUP_ID,
        "props": {},
        "sources": None,
        "records": None,
        "ingestRuns": None,
    }
    return [
        ("get_nodes", cypher("get_nodes"), {"ids": [_WARMUP_ID]}, False),
        ("get_graph_version", cypher("get_graph_version"), {}, False),
        # every request's read of the write stamps (graph.stamps): 0.3 s planned cold (trace)
        ("get_write_stamps", cypher("get_write_stamps"), {}, False),
        (
            "search_entities",
            cypher("search_entities"),
            {"q": _WARMUP_ID, "labels": None, "limit": SEARCH_CANDIDATES},
            False,
        ),
        (
            "find_neighbors",
            cypher("find_neighbors"),
            {
                "id": _WARMUP_ID,
                "types": None,
                "labels": None,
                "direction": "both",
                "after": None,
                "limit": 100,
            },
            False,
        ),
        ("neighbor_groups", cypher("neighbor_groups"), {"id": _WARMUP_ID}, False),
        (
            "merge_nodes TechDemand",
            render("merge_nodes", label=NodeLabel.TECH_DEMAND, extra_labels=(ENTITY_LABEL,)),
            {"rows": [row]},
            True,
        ),
        *(
            (
                f"merge_relationships {rel_type.value}",
                render("merge_relationships", start_label=start, end_label=end, rel_type=rel_type),
                {"rows": [rel]},
                True,
            )
            for rel_type, start, end in (
                (RelType.CLASSIFIED_AS, NodeLabel.TECH_DEMAND, NodeLabel.IPC),
                (RelType.IN_INDUSTRY, NodeLabel.TECH_DEMAND, NodeLabel.INDUSTRY),
            )
        ),
        ("bump_graph_version", cypher("bump_graph_version"), {}, True),
        # every write stamps what it touched after the bump (graph.stamps): planned cold, this was
        # the one statement of a demand's write left for the first writer
        ("stamp_writes", cypher("stamp_writes"), {"stamps": {_STAMP + "label:TechDemand": 0}}, True),
    ]


class Neo4jStore:
    kind = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        *,
        database: str = "neo4j",
        ensure_schema: bool = True,
        connection_timeout: float | None = None,
    ) -> None:
        connection_timeout = CONNECTION_TIMEOUT_S if connection_timeout is None else connection_timeout
        # Circuit breaker (see PROBE_INTERVAL_S): set while Neo4j is known to be unavailable.
        self._down_reason = ""
        self._breaker_lock = threading.Lock()
        self._prober: threading.Thread | None = None
        # Cleared while the breaker is open and, after it closes, until the write statements are
        # planned: reads go through first, writes wait (bounded) rather than plan cold.
        self._writes_ready = threading.Event()
        self._writes_ready.set()
        # Set while the breaker is closed; what a held call waits on (see RECOVERY_HOLD_S).
        self._serving = threading.Event()
        self._serving.set()
        # Set while the recovery's lookup is in flight on a server whose port accepts again.
        self._recovering = threading.Event()
        self._holds = threading.BoundedSemaphore(max(RECOVERY_HOLD_MAX, 1))
        self._closed = threading.Event()
        # Calls waiting on Neo4j: a trip answers them at once (see _until_tripped).
        self._pending: set[_Pending] = set()
        self._watcher: threading.Thread | None = None
        # The watcher's RETURN 1 (see _watch_probe): one driver for the store's life, made when
        # first needed; the thread running the current probe, if any.
        self._watch_driver: Driver | None = None
        self._watch_prober: threading.Thread | None = None
        self._trace = BreakerTrace()
        auth = (user, password or "") if user else None
        self._auth = auth
        self.uri = uri
        self.database = database
        self._connection_timeout = connection_timeout
        self._driver: Driver = self._new_driver()
        try:
            self._driver.verify_connectivity()
        except (ServiceUnavailable, SessionExpired, OSError) as e:
            self._driver.close()
            raise StoreUnavailableError(f"Neo4j at {uri} is unreachable: {e}") from e
        except AuthError as e:
            self._driver.close()
            raise StoreUnavailableError(f"Neo4j at {uri} refused the credentials: {e}") from e
        if ensure_schema:
            self.ensure_schema()
        elif not self.has_schema():
            raise SchemaMissingError(
                f"Neo4j at {uri} has no InnoGraph schema (constraint entity_id); run `innograph schema`"
            )

    # -- plumbing ----------------------------------------------------------------------
    def _new_driver(self, patience_s: float | None = None) -> Driver:
        """The users' driver; with ``patience_s``, one that waits that long to connect (the
        recovery lookup's, see :meth:`_recover`)."""
        connect_s = (
            self._connection_timeout if patience_s is None else max(patience_s, self._connection_timeout)
        )
        return GraphDatabase.driver(
            self.uri,
            auth=self._auth,
            connection_timeout=connect_s,
            connection_acquisition_timeout=connect_s * 2,
            # No retries by the driver: _attempt retries what is worth it (see MAX_RETRY_S).
            max_transaction_retry_time=0,
            # Labels and types come from the model's allow-list, so "does not exist" can only
            # mean "not in this graph yet" (a fresh database, a count of a type never loaded):
            # not worth a warning in the user's log on every call.
            notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
        )

    def _read(self, name: str, **params: Any) -> list[Any]:
        query = cypher(name)
        server: dict[str, Any] = {}

        def work(tx: ManagedTransaction) -> list[Any]:
            server.setdefault("tx", time.monotonic())  # a connection was acquired
            result = tx.run(query, params)
            records = list(result)
            # Server-side time to the first record (planning included): the trace's witness.
            server["availableAfterMs"] = result.consume().result_available_after
            return records

        records: list[Any] = self._read_work(work, name=name, server=server)
        return records

    def _read_work(self, work: Any, *, name: str = "read", server: dict[str, Any] | None = None) -> Any:
        """Run ``work`` in a managed read transaction, mapping unavailability to 503s."""
        work, attempts = self._attempts(work)
        work = unit_of_work(timeout=TX_TIMEOUT_S)(work)
        self._check_breaker()
        traced = self._trace.wants_call()

        def call() -> Any:
            started = time.monotonic()
            outcome = "error"
            try:
                records = self._attempt(lambda s: s.execute_read(work), READ_ACCESS)
                outcome = "ok"
                self._reset_breaker()
                return records
            except (ServiceUnavailable, SessionExpired) as e:
                outcome = f"unavailable: {e}"
                raise self._trip(f"Neo4j at {self.uri} is unavailable: {e}") from e
            except Neo4jError as e:
                if _conflict(e):
                    outcome = f"conflict: {e.message}"
                    raise StoreUnavailableError(
                        f"the read {name!r} kept meeting a conflict on Neo4j at {self.uri}; retry it"
                    ) from e
                # Other transient errors (database stopping or starting) are unavailability:
                # 503 with a reason, never a 500.
                if e.is_retryable():
                    outcome = f"unavailable: {e.message}"
                    raise self._trip(f"Neo4j at {self.uri} is unavailable: {e.message}") from e
                self._reset_breaker()  # the server answered: it is up
                if e.code and "TransactionTimedOut" in e.code:
                    # Too slow, not down (a province's whole-graph reads, bench.scale): a 503 that
                    # says which bound to raise — not a 500, and not an open breaker for others.
                    outcome = "timed out"
                    raise StoreUnavailableError(
                        f"the read {name!r} did not finish within {TX_TIMEOUT_S:g} s on Neo4j at {self.uri}; "
                        "raise NEO4J_TX_TIMEOUT_S for a graph this size"
                    ) from e
                raise
            except BaseException:
                self._reset_breaker()  # not about availability; never leave a probe pending
                raise
            finally:
                if traced:
                    self._trace.event(
                        "call", name=name, started=started, outcome=outcome[:200], **(server or {})
                    )
                if outcome != "ok":
                    self._trace_failure(name, started, outcome, attempts)

        return self._until_tripped(call, write=False)

    def _attempt(self, run: Callable[[Session], T], mode: str) -> T:
        """``run`` on a session of its own, retried only where another attempt can help: a
        conflict (:func:`_conflict`; back-off within :data:`MAX_RETRY_S` of the first failure) and a
        connection that failed at once (a pooled one the server had closed; once, on a new one).
        Never "database unavailable" nor a slow connection failure: the breaker trips instead, and
        no retry stands between the user and the 503 — nor after the breaker tripped."""
        first_failure = 0.0
        delay = 0.05
        reconnected = False
        while True:
            began = time.monotonic()
            try:
                with self._driver.session(database=self.database, default_access_mode=mode) as s:
                    return run(s)
            except (ServiceUnavailable, SessionExpired) as e:
                quick = time.monotonic() - began <= MAX_RETRY_S
                if isinstance(e, IncompleteCommit) or reconnected or not quick or self._down_reason:
                    raise
                reconnected = True
            except Neo4jError as e:
                now = time.monotonic()
                first_failure = first_failure or now
                if not _conflict(e) or now - first_failure > MAX_RETRY_S or self._down_reason:
                    raise
                time.sleep(delay)
                delay *= 2

    def _until_tripped(self, call: Callable[[], T], *, write: bool) -> T:
        """``call`` (one store call to Neo4j) run on a worker thread, waited for until it
        ends or the breaker trips, whichever is first. A stopping Neo4j holds the transactions it
        is running (up to ``db.shutdown_transaction_end_timeout``, 10 s by default) and the driver
        has no deadline for a call already sent, so without this a request in flight when Neo4j
        went down waited for Neo4j's shutdown, 503s after up to 9.6 s (bench.faults outage). The
        call cut short goes on in the background and its outcome is dropped: for a read that is
        harmless; for a write the 503 is no acknowledgement, and it may yet commit — which a retry
        with the same ``Idempotency-Key`` finds and replays (api/idempotency.py)."""
        pending = _Pending()

        def run() -> None:
            pending.worker = threading.get_ident()
            try:
                pending.result = call()
            except BaseException as e:  # handed to the caller's thread, unless it was answered
                pending.error = e
            finally:
                with self._breaker_lock:
                    self._pending.discard(pending)
                    pending.finished = True
                pending.settled.set()

        with self._breaker_lock:
            if self._down_reason:  # tripped since the caller looked: not sent at all
                raise StoreUnavailableError(self._down_reason)
            self._pending.add(pending)
        _WORKERS.submit(run)
        if not pending.settled.wait(WATCH_AFTER_S):
            self._start_watch(pending)
            pending.settled.wait()
        with self._breaker_lock:
            finished = pending.finished
        if finished:  # its own outcome, even if a trip came at the same moment: it is the truth
            if pending.error is not None:
                raise pending.error
            result: T = pending.result
            return result
        if write:
            raise StoreUnavailableError(
                f"{pending.cut} — this write was in flight when Neo4j went away and may or may not "
                "have been saved: retry it with the same Idempotency-Key"
            )
        raise StoreUnavailableError(pending.cut)

    def _start_watch(self, pending: _Pending) -> None:
        with self._breaker_lock:
            if pending.finished or self._down_reason or self._closed.is_set():
                return
            if self._watcher is None or not self._watcher.is_alive():
                self._watcher = threading.Thread(target=self._watch, name="neo4j-watch", daemon=True)
                self._watcher.start()

    def _watch(self) -> None:
        """While a call has been pending for :data:`WATCH_AFTER_S`: a TCP connect to the Bolt
        port every probe interval (at least 0.1 s) — a stopping Neo4j closes its port first while
        it still serves the connections it has, so a refusal is the stop — and, at most every
        :data:`WATCH_PROBE_EVERY_S`, ``RETURN 1`` on the watcher's own long-lived driver
        (:meth:`_watch_probe`, on a thread of its own so a slow answer never delays the next
        connect). Only a definite "not there" trips the breaker — the port refusing, or the
        database answering "unavailable" — never a slow answer: a busy server is not a down one,
        and a long read (a province's analysis) must not open the breaker for everyone."""
        address = _bolt_address(self.uri)
        last_probe = float("-inf")
        try:
            while not self._closed.is_set() and not self._down_reason:
                with self._breaker_lock:
                    if not any(not p.finished for p in self._pending):
                        self._watcher = None
                        return
                started = time.monotonic()
                try:
                    socket.create_connection(address, timeout=PROBE_TIMEOUT_S).close()
                except ConnectionRefusedError as e:
                    self._trace.event("watch", started=started, ok=False, error=str(e)[:200], trips=True)
                    self._trip(f"Neo4j at {self.uri} is unavailable: the port refuses connections ({e})")
                    return
                except OSError as e:  # slow, unreachable for now: not a definite answer, look again
                    self._trace.event("watch", started=started, ok=False, error=str(e)[:200], trips=False)
                with self._breaker_lock:
                    probing = self._watch_prober is not None and self._watch_prober.is_alive()
                    if not probing and started - last_probe >= WATCH_PROBE_EVERY_S:
                        last_probe = started
                        self._watch_prober = threading.Thread(
                            target=self._watch_probe, name="neo4j-watch-probe", daemon=True
                        )
                        self._watch_prober.start()
                self._closed.wait(max(PROBE_INTERVAL_S, 0.1))
        finally:
            with self._breaker_lock:
                if self._watcher is threading.current_thread():
                    self._watcher = None

    def _watch_probe(self) -> None:
        """The watcher's ``RETURN 1``, on one driver kept for the store's life (one pooled
        connection, the probe's timeouts, no retries) — not a driver per look: those opened a
        connection every 0.1 s while a call was pending (issue #17). Trips the breaker on the
        port refusing or ``DatabaseUnavailable``; anything else (a timeout on a busy server) is
        only traced."""
        started = time.monotonic()
        with self._breaker_lock:
            if self._closed.is_set():
                return
            if self._watch_driver is None:
                self._watch_driver = self._probe_driver()
            driver = self._watch_driver
        try:
            with driver.session(database=self.database, default_access_mode=READ_ACCESS) as s:
                s.execute_read(unit_of_work(timeout=PROBE_TIMEOUT_S)(_run_probe), cypher("probe"))
            self._trace.event("watch-probe", started=started, ok=True)
        except (ServiceUnavailable, SessionExpired) as e:
            refused = "refused" in str(e).lower() or isinstance(e.__cause__, ConnectionRefusedError)
            self._trace.event("watch-probe", started=started, ok=False, error=str(e)[:200], trips=refused)
            if refused:
                self._trip(f"Neo4j at {self.uri} is unavailable: {e}")
        except Neo4jError as e:
            unavailable = bool(e.code) and "DatabaseUnavailable" in str(e.code)
            self._trace.event("watch-probe", started=started, ok=False, error=str(e)[:200], trips=unavailable)
            if unavailable:
                self._trip(f"Neo4j at {self.uri} is unavailable: {e.message}")
        except Exception as e:  # not a definite answer: the watcher looks again
            self._trace.event("watch-probe", started=started, ok=False, error=str(e)[:200], trips=False)

    def _attempts(self, work: Callable[..., T]) -> tuple[Callable[..., T], list[float]]:
        """``work`` noting when each attempt of it began (a transaction was opened) when the
        breaker trace is on: a failed call's trace then shows its attempts."""
        attempts: list[float] = []
        if not self._trace.on:
            return work, attempts

        def noted(tx: ManagedTransaction, *args: Any) -> T:
            attempts.append(time.monotonic())
            return work(tx, *args)

        return noted, attempts

    def _trace_failure(self, name: str, started: float, outcome: str, attempts: list[float]) -> None:
        if self._trace.on:
            self._trace.event(
                "failed-call",
                name=name,
                started=started,
                thread=threading.get_ident(),
                attempts=attempts,
                outcome=outcome[:300],
            )

    @property
    def circuit_open(self) -> bool:
        """Neo4j was found unavailable and the background probe has not seen it answer yet."""
        return bool(self._down_reason)

    def _check_breaker(self, *, hold: bool = True) -> None:
        """A 503 while the breaker is open — after waiting up to :data:`RECOVERY_HOLD_S` for it
        to close if Neo4j is being recovered right now (``hold``)."""
        reason = self._down_reason
        if not reason:
            return
        if (
            hold
            and RECOVERY_HOLD_S > 0
            and (self._recovering.is_set() or RECOVERY_HOLD_WHEN == "always")
            and self._holds.acquire(blocking=False)
        ):
            try:
                self._serving.wait(RECOVERY_HOLD_S)
            finally:
                self._holds.release()
            reason = self._down_reason
            if not reason:
                return
        raise StoreUnavailableError(reason)

    def _trip(self, reason: str) -> StoreUnavailableError:
        with self._breaker_lock:
            if not self._down_reason:
                self._trace.event("tripped", reason=reason[:300])
            self._writes_ready.clear()
            self._serving.clear()
            self._down_reason = reason
            # Calls already waiting on Neo4j get their 503 now, not when Neo4j's shutdown reaches
            # them (the one whose failure this is raises its own).
            me = threading.get_ident()
            for pending in self._pending:
                if pending.worker != me and not pending.cut:
                    pending.cut = reason
                    pending.settled.set()
            if (self._prober is None or not self._prober.is_alive()) and not self._closed.is_set():
                self._prober = threading.Thread(target=self._probe_until_up, name="neo4j-probe", daemon=True)
                self._prober.start()
        return StoreUnavailableError(reason)

    def _reset_breaker(self, by: str = "call", *, writes_wait: bool = False) -> None:
        # A user's call that reached the server: it is up (the probe notices too, a bit later).
        # Not one cut short by a trip and ending later: a stopping Neo4j finishes what it runs.
        if self._down_reason:
            with self._breaker_lock:
                me = threading.get_ident()
                if any(p.worker == me and p.cut for p in self._pending):
                    return
                if self._down_reason:
                    self._down_reason = ""
                    self._serving.set()
                    self._trace.event("closed", by=by)
                    if not writes_wait:
                        self._writes_ready.set()

    def _probe_driver(self) -> Driver:
        """A driver for the breaker's own checks (the watcher's, the half-open probe's): one
        pooled connection, the probe's timeouts, no retries — never the users' pool, which may
        hang on a dead connection."""
        return GraphDatabase.driver(
            self.uri,
            auth=self._auth,
            connection_timeout=PROBE_TIMEOUT_S,
            connection_acquisition_timeout=PROBE_TIMEOUT_S,
            max_transaction_retry_time=0,
            max_connection_pool_size=1,
        )

    def _probe_until_up(self) -> None:
        """The half-open state, off the request path. Every :data:`PROBE_INTERVAL_S` a TCP
        connect to the Bolt port: a refusal (stopped, not listening yet) is still down and costs
        nothing. Once the port accepts, straight to :meth:`_recover`, whose entity lookup on a
        fresh driver is the probe — the first query a restarted Neo4j gets from the API is then
        one users need, with the warm-up's patience, and the breaker closes the moment Neo4j
        serves it. (Before: ``RETURN 1`` bounded at ``NEO4J_PROBE_TIMEOUT_S``, then the lookup.
        On a cold server under load that bound cut the first probe short in 4 of 5 trials, each
        after 1.6–2.6 s as the server enforces it late, and the lookup alone then took 0.8–2.6 s
        more — docs/RELIABILITY.md.) With the warm-up off (``NEO4J_RECOVERY_WARMUP=0``) the probe is
        ``RETURN 1`` on the probe driver, then the breaker closes. The probes have their own
        connections, so none shares a pool with requests that may hang on a dead connection."""
        address = _bolt_address(self.uri)
        probe: Driver | None = None
        try:
            while self._down_reason and not self._closed.wait(PROBE_INTERVAL_S):
                started = time.monotonic()
                try:
                    socket.create_connection(address, timeout=PROBE_TIMEOUT_S).close()
                except OSError as e:
                    self._not_up(started, f"the port refuses connections ({e})")
                    continue
                if RECOVERY_WARMUP:
                    if self._down_reason:
                        self._recover(started)
                    continue
                probe = probe or self._probe_driver()
                try:
                    with probe.session(database=self.database, default_access_mode=READ_ACCESS) as s:
                        s.execute_read(unit_of_work(timeout=PROBE_TIMEOUT_S)(_run_probe), cypher("probe"))
                except Exception as e:  # still down: the users' 503 says why, as of now
                    self._not_up(started, str(e))
                    continue
                self._trace.event("probe", started=started, ok=True)
                self._reset_breaker(by="probe")
        finally:
            if probe is not None:
                probe.close()
            self._writes_ready.set()  # never leave a writer waiting on a probe that is gone
            with self._breaker_lock:
                # Tripped again after the loop's last look: _trip saw this thread alive and
                # started none, so probing goes on in a new one (else the breaker stays open).
                self._prober = None
                if self._down_reason and not self._closed.is_set():
                    self._writes_ready.clear()
                    self._prober = threading.Thread(
                        target=self._probe_until_up, name="neo4j-probe", daemon=True
                    )
                    self._prober.start()

    def _not_up(self, started: float, error: str) -> None:
        """A probe found Neo4j not serving yet: traced, and the users' 503 says why, as of now."""
        self._trace.event("probe", started=started, ok=False, error=error[:200])
        with self._breaker_lock:
            if self._down_reason:
                self._down_reason = f"Neo4j at {self.uri} is not answering yet: {error}"

    def _recover(self, started: float) -> bool:
        """The port accepts again: swap in a fresh driver (no pooled connection from before the
        outage), run the entity lookup on it — the probe — and close the breaker when it is
        answered; writes go once their statements are planned (see :data:`RECOVERY_WARMUP`).
        False when the server turned out not to be serving yet (keep
        probing); True once the breaker is closed — also when a warm-up ran out of time or failed
        for another reason (the users' calls then plan what is left; a slow warm-up must not keep
        the API down)."""
        fresh = self._new_driver()
        stale, self._driver = self._driver, fresh
        stale.close()  # pooled connections from before the outage: dead, each would cost a retry
        # The lookup and the warm-up run on a driver of their own that waits for a slow cold
        # server to connect (a connection is three answers: handshake, HELLO, LOGON; at 0.7 s
        # each the users' 2 s acquisition bound gave up on every try and the breaker never
        # closed). The users' driver keeps its short bounds: for them a hang is worse than a 503.
        warm = self._new_driver(patience_s=WARMUP_TIMEOUT_S)
        try:
            return self._recover_on(warm, started)
        finally:
            warm.close()

    def _recover_on(self, driver: Driver, started: float) -> bool:
        """:meth:`_recover`'s lookup and warm-up, on ``driver``."""
        statements = _warmup_statements()
        # The entity lookup is nearly every request's first call. A cold server's first real
        # query costs seconds whoever runs it (the JVM's first plan and run), and one caller
        # paying it is cheaper than ten paying it at once, so the breaker stays open until it is
        # answered. The others follow one after another: all at once, on two cores, every one of
        # them — the lookup included — ran past its 5 s budget (recovery 8.8 and 11.0 s,
        # docs/RELIABILITY.md, *Recovery, phase by phase*).
        self._recovering.set()  # calls arriving now wait for the lookup (RECOVERY_HOLD_S)
        try:
            outcome, error = self._warm(driver, statements[:1], write=False)
        finally:
            self._recovering.clear()
        if outcome == "down":
            self._not_up(started, error)
            return False
        self._trace.event("probe", started=started, ok=True, by=statements[0][0])
        self._reset_breaker(by="probe", writes_wait=True)
        self._warm(driver, [st for st in statements[1:] if not st[3]], write=False)
        self._warm(driver, [st for st in statements if st[3]], write=True)
        self._trace.event("writes ready")
        self._writes_ready.set()
        return True

    def _warm(
        self, driver: Driver, statements: list[tuple[str, str, dict[str, Any], bool]], *, write: bool
    ) -> tuple[str, str]:
        """Run each of ``statements`` in a transaction of its own that is rolled back (one slow
        plan must not cost the others theirs); "ok", "down" (the server is unavailable) or
        "failed" (a statement failed otherwise or timed out; the rest are still tried), with
        the last error."""
        deadline = time.monotonic() + WARMUP_TIMEOUT_S
        mode = WRITE_ACCESS if write else READ_ACCESS
        outcome, error = "ok", ""
        for name, query, params, _ in statements:
            if self._closed.is_set():  # the store is closing: its driver must not be in use
                return "failed", "the store is closing"
            left = deadline - time.monotonic()
            if left <= 0:
                self._trace.event("warm-up", name=name, skipped="out of time")
                outcome = "failed"
                continue
            started = time.monotonic()
            try:
                with driver.session(database=self.database, default_access_mode=mode) as s:
                    tx = s.begin_transaction(timeout=max(left, 0.5))
                    try:
                        summary = tx.run(query, params).consume()
                    finally:
                        # Nothing the warm-up ran is kept. A transaction that failed is already
                        # rolled back, and closing the session rolls back one left open, so an
                        # error here must not hide the statement's own.
                        with contextlib.suppress(Exception):
                            tx.rollback()
            except (ServiceUnavailable, SessionExpired) as e:
                self._trace.event("warm-up", name=name, started=started, error=str(e)[:200])
                return "down", str(e)
            except Neo4jError as e:
                self._trace.event("warm-up", name=name, started=started, error=str(e)[:200])
                if e.is_retryable():
                    return "down", str(e.message)
                outcome, error = "failed", str(e.message)
                continue
            except DriverError as e:  # e.g. its driver closed under it: not serving, as far as we know
                self._trace.event("warm-up", name=name, started=started, error=str(e)[:200])
                return "down", str(e)
            except Exception as e:  # never out of a warm-up thread as a traceback
                self._trace.event("warm-up", name=name, started=started, error=str(e)[:200])
                outcome, error = "failed", str(e)
                continue
            self._trace.event("warm-up", name=name, started=started, serverMs=summary.result_available_after)
        return outcome, error

    def _write(self, work: Any) -> Any:
        self._check_breaker()
        # Just recovered: the write plans are being made (the other reads' phase, the writes').
        # The wait ends early when the breaker trips again: a write that passed the check above
        # an instant before a trip would otherwise wait out the whole outage (bench.faults
        # outage: 503s after up to 9.6 s, in steps of the probe's attempts).
        deadline = time.monotonic() + 2 * WARMUP_TIMEOUT_S
        while not self._writes_ready.wait(min(PROBE_INTERVAL_S, max(deadline - time.monotonic(), 0.0))):
            self._check_breaker(hold=False)
            if time.monotonic() >= deadline:
                break
        work, attempts = self._attempts(work)
        traced = self._trace.wants_call()

        def call() -> Any:
            started = time.monotonic()
            outcome = "error"
            try:
                result = self._attempt(lambda s: s.execute_write(work), WRITE_ACCESS)
                outcome = "ok"
                self._reset_breaker()
                return result
            except IncompleteCommit as e:
                outcome = "incomplete commit"
                raise self._trip(
                    f"Neo4j at {self.uri} went away during a commit; the write may not have been saved: {e}"
                ) from e
            except (ServiceUnavailable, SessionExpired) as e:
                outcome = f"unavailable: {e}"
                raise self._trip(f"Neo4j at {self.uri} is unavailable: {e}") from e
            except Neo4jError as e:
                if e.code and "MemoryPoolOutOfMemoryError" in e.code:
                    # Not an outage: this one write is bigger than the server's transaction memory.
                    self._reset_breaker()
                    raise TransactionTooLargeError(
                        f"the write is too large for one transaction on Neo4j at {self.uri} "
                        f"({e.message}); nothing was written. Give Neo4j more heap "
                        "(server.memory.heap.max_size, db.memory.transaction.total.max) or ingest fewer "
                        "files per run"
                    ) from e
                if _conflict(e):
                    outcome = f"conflict: {e.message}"
                    raise StoreUnavailableError(
                        f"the write kept meeting another writer's locks on Neo4j at {self.uri} and was "
                        "not saved; retry it"
                    ) from e
                if e.is_retryable():
                    outcome = f"unavailable: {e.message}"
                    raise self._trip(f"Neo4j at {self.uri} is unavailable: {e.message}") from e
                self._reset_breaker()  # the server answered: it is up
                raise
            except BaseException:
                self._reset_breaker()  # not about availability; never leave a probe pending
                raise
            finally:
                if traced:
                    self._trace.event("call", name="write", started=started, outcome=outcome[:200])
                if outcome != "ok":
                    self._trace_failure("write", started, outcome, attempts)

        return self._until_tripped(call, write=True)

    def ensure_schema(self) -> None:
        with self._driver.session(database=self.database) as s:
            for statement in schema_statements():
                s.run(statement).consume()  # schema commands cannot share a transaction

    def has_schema(self) -> bool:
        return bool(self._read("check_schema")[0]["n"])

    # -- writes ------------------------------------------------------------------------
    def apply(self, changes: ChangeSet) -> ApplyResult:
        # Grouped by label / (type, start label, end label): each group is one statement with
        # static identifiers, which the planner serves from the labels' unique indexes. Rows are
        # converted batch by batch inside the transaction, while the server runs the previous one.
        rel_groups: dict[tuple[RelType, NodeLabel, NodeLabel], list[RelRecord]] = {}
        for rel in changes.rels.values():
            rel_groups.setdefault((rel.type, rel.start_label, rel.end_label), []).append(rel)

        def work(tx: ManagedTransaction) -> ApplyResult:
            # Every batch is sent before any result is read: Bolt pipelines the statements, so
            # the client prepares batch k+1 while the server still executes batch k (median of six
            # ×10 loads: +6 %, docs/benchmarks/ingest.md). The server runs them in order.
            node_results: list[Result] = []
            for label, by_id in changes.nodes.items():
                extra = (
                    (ENTITY_LABEL, ORGANIZATION_LABEL) if label in ORGANIZATION_LABELS else (ENTITY_LABEL,)
                )
                query = render("merge_nodes", label=label, extra_labels=extra)
                node_results.extend(
                    tx.run(query, rows=batch) for batch in _batches(by_id.values(), _node_row)
                )
            rel_results: list[tuple[Result, list[dict[str, Any]], NodeLabel, NodeLabel]] = []
            for (rel_type, start_label, end_label), rels in rel_groups.items():
                query = render(
                    "merge_relationships", start_label=start_label, end_label=end_label, rel_type=rel_type
                )
                rel_results.extend(
                    (tx.run(query, rows=batch), batch, start_label, end_label)
                    for batch in _batches(rels, _rel_row)
                )
            for result in node_results:
                result.consume()
            for result, batch, start_label, end_label in rel_results:
                if result.single(strict=True)["merged"] != len(batch):
                    endpoints = [
                        {"id": r[k], "label": label.value}
                        for r in batch
                        for k, label in (("start", start_label), ("end", end_label))
                    ]
                    missing = tx.run(cypher("find_missing_endpoints"), endpoints=endpoints)
                    raise _EndpointsMissing([f"{m['label']} {m['id']}" for m in missing])
            _stamp(tx, touched(changes))
            return ApplyResult(changes.node_count, changes.relationship_count)

        try:
            result: ApplyResult = self._write(work)
        except _EndpointsMissing as e:
            raise ValidationError(f"relationship endpoints not in the graph: {e}", field="endpoint") from e
        except Neo4jError as e:
            if e.code and "ConstraintValidationFailed" in e.code:
                raise ValidationError(f"constraint violated: {e.message}", field="id") from e
            raise
        return result

    def delete_nodes(self, node_ids: Sequence[str]) -> int:
        ids = list(dict.fromkeys(node_ids))

        def work(tx: ManagedTransaction) -> int:
            deleted = int(tx.run(cypher("delete_nodes"), ids=ids).single(strict=True)["deleted"])
            _stamp(tx, [ANY])  # the deleted nodes' relationships go too: any type
            return deleted

        return int(self._write(work))

    def clear(self) -> None:
        with self._driver.session(database=self.database) as s:
            s.run(cypher("delete_all_batch")).consume()
            # The counter survives a clear and moves on, so no cache mistakes new data for old.
            s.execute_write(_stamp, [ANY])

    # -- reads -------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        found = self.get_nodes([node_id])
        return found[0] if found else None

    def get_nodes(self, node_ids: Sequence[str]) -> list[Node]:
        return [_to_node(r) for r in self._read("get_nodes", ids=sorted(set(node_ids)))]

    def nodes(self, label: NodeLabel, *, skip: int = 0, limit: int | None = None) -> list[Node]:
        records = self._read("list_nodes", label=NodeLabel(label).value, skip=skip, limit=limit or _NO_LIMIT)
        return [_to_node(r) for r in records]

    def relationships(self, rel_type: RelType, *, limit: int | None = None) -> list[Relationship]:
        rel_type = RelType(rel_type)
        records = self._read("list_relationships", type=rel_type.value, limit=limit or _NO_LIMIT)
        return [Relationship(rel_type, r["start"], r["end"], dict(r["props"])) for r in records]

    def list_members(self, kind: str, year: int) -> list[ListMember]:
        records = self._read("list_members_as_of", kind=kind, year=int(year))
        return [ListMember(r["id"], primary_label(r["labels"]), int(r["year"]), r["level"]) for r in records]

    def annual_figures(self, year: int) -> list[YearFigures]:
        records = self._read("annual_figures_as_of", year=int(year))
        return [
            YearFigures(
                r["id"], int(r["year"]), {k: r["props"][k] for k in ANNUAL_FIGURES if k in r["props"]}
            )
            for r in records
        ]

    # -- paged whole-graph reads ---------------------------------------------------------
    def _read_page(self, name: str, pinned: list[int], query: str | None = None, **params: Any) -> list[Any]:
        """One page of a paged read, in its own short transaction, between two reads of the graph's
        version: both must equal the version the read's first page saw (``pinned``), else
        :class:`_GraphMoved`. Neo4j reads committed data, so a write that commits while the page
        runs is caught by the second read, one that commits between pages by the first."""
        text = cypher(name) if query is None else query
        version_query = cypher("get_graph_version")

        def work(tx: ManagedTransaction) -> tuple[int, list[Any], int]:
            before = int(tx.run(version_query).single(strict=True)["version"])
            records = list(tx.run(text, params))
            after = int(tx.run(version_query).single(strict=True)["version"])
            return before, records, after

        before, records, after = self._read_work(work, name=name)
        if not pinned:
            pinned.append(before)
        if before != pinned[0] or after != pinned[0]:
            raise _GraphMoved
        return list(records)

    def _keyset(
        self, name: str, pinned: list[int], query: str | None = None, *, packed: bool = False, **params: Any
    ) -> Iterator[list[Any]]:
        """Every page of ``name`` (a statement with ``$after`` and ``$page`` that returns ``id`` in
        order), each as soon as it is read: the caller folds one page in while the next is read.
        ``packed``: the statement returns the page as one record, its rows (lists whose first item
        is the id, in order) collected under ``rows``; the pages are then those rows.

        Pages start at ``PAGE_SIZE`` nodes and keep each transaction well under the read bound
        (``TX_TIMEOUT_S``): a page slower than a quarter of it halves the next one, a page that
        passes it is read again at a quarter of the size (down to ``MIN_PAGE_SIZE``), and quick
        pages let the size grow back. A cold page cache made one page of 10,000 start nodes pass
        30 s at ×100 where the same page took 10 s at ×10 (docs/benchmarks/scale.md).

        The next page is read while the caller folds this one in (one page ahead, on a thread
        of its own): the server's and the network's share of a page then overlaps the caller's
        Python work instead of adding to it (×100 match index: the projection's pages spent a
        third of their time waiting on the socket, docs/benchmarks/scale.md)."""

        def timed(after: str, size: int) -> tuple[list[Any], float]:
            started = time.monotonic()
            records = self._read_page(name, pinned, query, after=after, page=size, **params)
            if packed:
                records = records[0]["rows"] if records else []
            return records, time.monotonic() - started

        size = PAGE_SIZE
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-page-ahead") as ahead:
            after = ""  # below every id (validation refuses an empty one)
            pending = ahead.submit(timed, after, size)
            while True:
                try:
                    records, elapsed = pending.result()
                except StoreUnavailableError as error:
                    if not _timed_out(error) or size <= MIN_PAGE_SIZE:
                        raise
                    size = max(size // 4, MIN_PAGE_SIZE)
                    pending = ahead.submit(timed, after, size)
                    continue
                full = len(records) >= size
                if full:
                    after = records[-1][0] if packed else records[-1]["id"]
                    if elapsed > TX_TIMEOUT_S / 4:
                        size = max(size // 2, MIN_PAGE_SIZE)
                    elif elapsed < TX_TIMEOUT_S / 16 and size < PAGE_SIZE:
                        size = min(size * 2, PAGE_SIZE)
                    # ``pinned`` is set by now: the first page's version was read with it.
                    pending = ahead.submit(timed, after, size)
                if records:
                    yield records
                if not full:
                    return

    def _one_version(self, what: str, read: Callable[[list[int]], T]) -> T:
        """``read(pinned)`` until no write landed between its pages, at most ``PAGE_ATTEMPTS``
        times: a paged read returns one version of the graph or fails, never a mix."""
        for _ in range(max(PAGE_ATTEMPTS, 1)):
            try:
                return read([])
            except _GraphMoved:
                continue
        raise StoreUnavailableError(
            f"the graph on Neo4j at {self.uri} changed during each of {max(PAGE_ATTEMPTS, 1)} attempts "
            f"to read {what} in pages of {PAGE_SIZE:,}; try again when the writes pause "
            "(or raise NEO4J_PAGE_ATTEMPTS / NEO4J_PAGE_SIZE)"
        )

    # Filtered and ordered here with the embedded store's own keys, so both agree row for row.
    def list_history(self) -> list[ListEditionMembers]:
        if PAGE_SIZE <= 0:
            return self._list_history_at_once()

        def read(pinned: list[int]) -> dict[tuple[str, int], list[Member]]:
            editions: dict[tuple[str, int], list[Member]] = {}
            for r in self._read_page("list_editions", pinned):
                kind, year = r["kind"], r["year"]
                if isinstance(kind, str) and isinstance(year, int) and not isinstance(year, bool):
                    editions[(kind, year)] = []
            for page in self._keyset("list_history_page", pinned):
                for r in page:
                    for kind, year, level in r["editions"]:
                        if isinstance(kind, str) and isinstance(year, int) and not isinstance(year, bool):
                            members = editions.get((kind, year))
                            if members is not None:
                                members.append((r["id"], level))
            return editions

        editions = self._one_version("the list history", read)
        return [
            ListEditionMembers(kind, year, sorted_members(members))
            for (kind, year), members in sorted(editions.items())  # keys are unique
        ]

    def _list_history_at_once(self) -> list[ListEditionMembers]:
        editions: dict[tuple[str, int], list[Member]] = {}
        for r in self._read("list_history"):
            kind, year = r["kind"], r["year"]
            if isinstance(kind, str) and isinstance(year, int) and not isinstance(year, bool):
                editions.setdefault((kind, year), []).extend((m[0], m[1]) for m in r["members"])
        return [
            ListEditionMembers(kind, year, sorted_members(members))
            for (kind, year), members in sorted(editions.items())  # keys are unique
        ]

    def report_history(self) -> list[ReportSeries]:
        if PAGE_SIZE <= 0:
            records: Iterable[Any] = sorted(self._read("report_history"), key=lambda r: str(r["id"]))
        else:

            def read(pinned: list[int]) -> list[tuple[str, list[Any]]]:
                return [
                    (r["id"], r["reports"])
                    for page in self._keyset("report_history_page", pinned)
                    for r in page
                    if r["reports"]
                ]

            records = [{"id": i, "reports": reports} for i, reports in self._one_version("the reports", read)]
        out = []
        for r in records:  # ordered by id
            rows = [
                (year, report, {k: props[k] for k in ANNUAL_FIGURES if k in props})
                for year, report, props in r["reports"]
                if isinstance(year, int) and not isinstance(year, bool)
            ]
            if rows:
                out.append(report_series(r["id"], rows))
        return out

    def node_rows(
        self, label: NodeLabel, properties: Sequence[str], rel_types: Iterable[RelType]
    ) -> list[NodeRow]:
        label = NodeLabel(label)
        types = sorted(RelType(t).value for t in rel_types)
        keys = list(properties)

        def rows_of(page: Iterable[Any]) -> Iterator[NodeRow]:
            for r in page:
                out: dict[RelType, list[str]] = {}
                for rel_type, target in r["out"]:
                    out.setdefault(RelType(rel_type), []).append(target)
                yield NodeRow(r["id"], dict(r["props"]), {t: sorted(out[t]) for t in sorted(out)})

        if PAGE_SIZE <= 0:
            return list(rows_of(self._read("node_rows", label=label.value, keys=keys, types=types)))
        query = render("node_rows_page", label=label)

        def read(pinned: list[int]) -> list[NodeRow]:
            return [
                row
                for page in self._keyset("node_rows_page", pinned, query, keys=keys, types=types)
                for row in rows_of(page)
            ]

        rows: list[NodeRow] = self._one_version(f"the {label.value} rows", read)
        return rows

    def neighbors(
        self,
        node_id: str,
        *,
        rel_types: Iterable[RelType] | None = None,
        direction: Direction = "both",
        labels: Iterable[NodeLabel] | None = None,
        after: NeighborKey | None = None,
        limit: int = 100,
    ) -> list[Neighbor]:
        types = None if rel_types is None else sorted(RelType(t).value for t in rel_types)
        wanted = None if labels is None else sorted(NodeLabel(label).value for label in labels)
        records = self._read(
            "find_neighbors",
            id=node_id,
            types=types,
            labels=wanted,
            direction=direction,
            after=None if after is None else [str(part) for part in after],
            limit=limit,
        )
        return [
            Neighbor(
                Relationship(RelType(r["type"]), r["start"], r["end"], dict(r["relProps"])),
                _to_node(r),
                r["direction"],
            )
            for r in records
        ]

    def neighbor_groups(self, node_id: str) -> list[NeighborGroup]:
        counts: Counter[tuple[str, str, str]] = Counter()
        for r in self._read("neighbor_groups", id=node_id):
            counts[(r["type"], r["direction"], primary_label(r["labels"]).value)] += int(r["count"])
        return [
            NeighborGroup(RelType(t), "out" if way == "out" else "in", NodeLabel(label), n)
            for (t, way, label), n in sorted(counts.items())
        ]

    def search_candidates(self, text: str, *, labels: Iterable[NodeLabel] | None = None) -> list[Node]:
        wanted = None if labels is None else sorted(NodeLabel(label).value for label in labels)
        records = self._read(
            "search_entities", q=normalize_query(text), labels=wanted, limit=SEARCH_CANDIDATES
        )
        return [_to_node(r) for r in records]

    def projection(
        self,
        *,
        labels: Iterable[NodeLabel] | None = None,
        rel_types: Iterable[RelType] | None = None,
        properties: Iterable[str] | None = None,
        rel_properties: Iterable[str] | None = None,
    ) -> nx.MultiDiGraph:
        wanted = sorted(label.value for label in (NodeLabel if labels is None else labels))
        types = sorted(t.value for t in (RelType if rel_types is None else rel_types))
        keys = None if properties is None else list(dict.fromkeys(properties))
        rel_keys = None if rel_properties is None else list(dict.fromkeys(rel_properties))
        if PAGE_SIZE <= 0:
            return self._projection_at_once(wanted, types, keys, rel_keys)

        # Per label, the asked keys its nodes can hold (the schema is closed: graph.validation).
        label_keys = (
            None
            if keys is None
            else {label: [k for k in keys if k in NODE_PROPERTIES[NodeLabel(label)]] for label in wanted}
        )

        def read(pinned: list[int]) -> nx.MultiDiGraph:
            # Streamed: each page's nodes go into the graph before the next page is read, so the
            # driver holds one page at a time, never the whole projection beside the graph (and
            # the next page is read meanwhile: ``_keyset``). Its relationships wait in a list
            # until every node is in: an edge added earlier would add its end node out of id
            # order (networkx creates it), and nodes are added in id order on both stores.
            out: nx.MultiDiGraph = nx.MultiDiGraph()
            edges: list[tuple[str, str, RelType, dict[str, Any]]] = []
            for page in self._keyset(
                "projection_page",
                pinned,
                packed=True,
                labels=wanted,
                model=_MODEL_LABELS,
                keys=label_keys,
                types=types,
                relKeys=rel_keys,
            ):
                out.add_nodes_from(
                    (
                        node,
                        {
                            "label": _LABEL[label],
                            **(values if label_keys is None else _present(label_keys[label], values)),
                        },
                    )
                    for node, label, values, _ in page
                )
                edges.extend(
                    (
                        node,
                        end,
                        _TYPE[rel_type],
                        props if rel_keys is None else _present(rel_keys, props),
                    )
                    for node, _, _, rels in page
                    for rel_type, end, props in sorted(rels, key=_type_and_end)
                )
            out.add_edges_from(edges)
            del edges
            _order_predecessors(out)
            return out

        graph: nx.MultiDiGraph = self._one_version("a projection", read)
        return graph

    def _projection_at_once(
        self, wanted: list[str], types: list[str], keys: list[str] | None, rel_keys: list[str] | None
    ) -> nx.MultiDiGraph:
        """The projection in one transaction per part (``NEO4J_PAGE_SIZE=0``): what every
        projection did before the paged read, kept to compare them (bench.scale)."""
        out: nx.MultiDiGraph = nx.MultiDiGraph()
        for r in self._read("projection_nodes", labels=wanted):
            props = r["props"] if keys is None else {k: r["props"][k] for k in keys if k in r["props"]}
            out.add_node(r["id"], label=primary_label(r["labels"]), **props)
        for r in self._read("projection_relationships", labels=wanted, types=types):
            props = (
                r["props"] if rel_keys is None else {k: r["props"][k] for k in rel_keys if k in r["props"]}
            )
            out.add_edge(r["start"], r["end"], key=RelType(r["type"]), **props)
        return out

    def iter_all(self) -> Iterator[Node | Relationship]:
        for label in sorted(NodeLabel):
            yield from self.nodes(label)
        for rel_type in sorted(RelType):
            yield from self.relationships(rel_type)

    def counts(self) -> GraphCounts:
        # One statement per label and type with a static identifier: Neo4j answers those from
        # its count store in constant time, where a dynamic label would scan the graph.
        def work(tx: ManagedTransaction) -> GraphCounts:
            labels = {
                label.value: tx.run(render("count_label", label=label)).single(strict=True)["n"]
                for label in NodeLabel
            }
            rels = {
                rel_type.value: tx.run(render("count_relationship_type", rel_type=rel_type)).single(
                    strict=True
                )["n"]
                for rel_type in RelType
            }
            return GraphCounts(labels, rels)

        result: GraphCounts = self._read_work(work)
        return result

    def version(self) -> int:
        return int(self._read("get_graph_version")[0]["version"])

    def write_stamps(self) -> dict[str, int]:
        props = self._read("get_write_stamps")[0]["props"]
        return {k.removeprefix(_STAMP): int(v) for k, v in props.items() if k.startswith(_STAMP)}

    def health(self) -> dict[str, Any]:
        self._check_breaker(hold=False)  # a health check answers at once
        try:
            info = self._driver.get_server_info()
        except (ServiceUnavailable, SessionExpired, OSError) as e:
            raise self._trip(f"Neo4j at {self.uri} is unavailable: {e}") from e
        except BaseException:
            self._reset_breaker()
            raise
        self._reset_breaker()
        return {
            "store": self.kind,
            "uri": self.uri,
            "database": self.database,
            "server": info.agent,
            "driverCodec": DRIVER_CODEC,
            "ok": True,
        }

    def close(self) -> None:
        self._closed.set()
        # The probe may still be warming the driver after the breaker closed; a driver must not
        # be closed while in use (the neo4j driver's rule), so wait for it to stop (it checks
        # ``_closed`` between statements, each bounded by the warm-up budget).
        prober = self._prober
        if prober is not None and prober is not threading.current_thread():
            prober.join(WARMUP_TIMEOUT_S + PROBE_TIMEOUT_S + 1)
        with self._breaker_lock:  # no watcher's probe starts after this (it checks _closed)
            watch_prober, watch_driver = self._watch_prober, self._watch_driver
        if watch_prober is not None:
            watch_prober.join(2 * PROBE_TIMEOUT_S + 1)  # its connect and its transaction
        if watch_driver is not None:
            watch_driver.close()
        self._driver.close()


def _present(keys: list[str], values: list[Any]) -> dict[str, Any]:
    """``keys`` with their values as read in their order (``[k IN $keys | n[k]]``), less the
    unset ones: Neo4j stores no null property, so a null value is an absent key."""
    return {k: v for k, v in zip(keys, values, strict=True) if v is not None}


def _timed_out(error: StoreUnavailableError) -> bool:
    """``error`` is a read that passed ``TX_TIMEOUT_S`` (the server answered), not an outage."""
    cause = error.__cause__
    return isinstance(cause, Neo4jError) and bool(cause.code) and "TransactionTimedOut" in str(cause.code)


def _type_and_end(edge: list[Any]) -> tuple[str, str]:
    return edge[0], edge[1]


def _order_predecessors(graph: nx.MultiDiGraph) -> None:
    """Reorder each node's predecessors as if the edges had been added in (type, start, end)
    order, as the embedded store (and the one-transaction read) adds them: the pages add them in
    (start, type, end) order, which gives the same successors in the same order but not the same
    predecessors. Analyses that walk in-edges then see the same order on both stores."""
    pred = graph._pred
    for node, before in pred.items():
        if len(before) > 1:
            pred[node] = {u: before[u] for u in sorted(before, key=lambda u: (min(before[u]).value, u))}


#: A projection page's labels and types as the model's members, by value: a dict lookup per node
#: and edge instead of an enum call (``NodeLabel(value)``) or a scan of the model's labels.
_LABEL: dict[str, NodeLabel] = {label.value: label for label in NodeLabel}
_TYPE: dict[str, RelType] = {rel_type.value: rel_type for rel_type in RelType}
_MODEL_LABELS = sorted(_LABEL)

_STAMP = "stamp:"


def _stamp(tx: ManagedTransaction, keys: list[str]) -> None:
    """Bump the graph version and stamp ``keys`` (``graph.stamps``) with it, in ``tx``."""
    version = int(tx.run(cypher("bump_graph_version")).single(strict=True)["version"])
    tx.run(cypher("stamp_writes"), stamps={_STAMP + key: version for key in keys}).consume()
