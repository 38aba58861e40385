"""Neo4j's own offline bulk loader (``neo4j-admin database import full``) on the same graph.

Used by ``bench.ingest_throughput --admin-import`` to put the store's transactional load side by
side with the fastest way Neo4j offers to fill an *empty* database. The graph imported is the
one the embedded store holds after the same ingest, so both paths write the same nodes and
relationships. What is timed is everything a user would wait for:

1. write the import CSVs (one file per label and per relationship type);
2. stop the server (an offline import needs the database closed);
3. ``neo4j-admin database import full --overwrite-destination`` with the server's own jars;
4. start the server, create the schema (constraints, TEXT and full-text indexes) and wait until
   every index is online (``db.awaitIndexes``).

This is a measurement, not an ingest path: it bypasses reconciliation and provenance merging,
which is why ``innograph ingest`` does not use it (docs/benchmarks/ingest.md says what it showed).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import neo4j_local

from graph.model import NODE_PROPERTIES, REL_SPECS, NodeLabel, RelType, labels_for
from graph.neo4j_store import Neo4jStore
from graph.records import Node, Relationship
from graph.search_text import search_text
from ingest.pipeline import collector_paused

#: The model's property types in the importer's header syntax.
_HEADER_TYPES = {
    "str": "string",
    "int": "long",
    "float": "double",
    "bool": "boolean",
    "str[]": "string[]",
    "int[]": "long[]",
    "float[]": "double[]",
}
#: Array elements are joined with U+001F (unit separator): validation refuses control
#: characters in values, so it cannot occur inside one.
_ARRAY_DELIMITER = "\x1f"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return _ARRAY_DELIMITER.join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_import_csv(items: Iterable[Node | Relationship], out: Path) -> tuple[list[str], int]:
    """One CSV per label / relationship type under ``out``; returns (importer arguments, records).

    Each row is rendered as it is written (no second copy of every node's properties held
    beside the graph: at ×100 that was 1.4 M dicts), and with the cyclic garbage collector
    paused — the records are all alive until the end, so a collection only rescans them."""
    with collector_paused():
        return _write_import_csv(items, out)


def _write_import_csv(items: Iterable[Node | Relationship], out: Path) -> tuple[list[str], int]:
    nodes: dict[Any, list[Node]] = {}
    rels: dict[Any, list[Relationship]] = {}
    for item in items:
        if isinstance(item, Node):
            nodes.setdefault(item.label, []).append(item)
        else:
            rels.setdefault(item.type, []).append(item)
    out.mkdir(parents=True, exist_ok=True)
    args: list[str] = []
    for label, group in nodes.items():
        # Neo4j's merge sets searchText on every node (merge_nodes.cypher), whatever the label.
        types = {**NODE_PROPERTIES[label], "searchText": "str"}
        columns = sorted({key for node in group for key in node.props if key != "id"} | {"searchText"})
        path = out / f"nodes-{label.value}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id:ID", *(f"{c}:{_HEADER_TYPES[types[c]]}" for c in columns)])
            writer.writerows(_node_row(node, columns) for node in group)
        args.append(f"--nodes={':'.join(['Entity', *labels_for(label)])}={path}")
    for rel_type, rows_ in rels.items():
        types = REL_SPECS[rel_type].properties
        columns = sorted({key for rel in rows_ for key in rel.props})
        path = out / f"rels-{rel_type.value}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow([":START_ID", ":END_ID", *(f"{c}:{_HEADER_TYPES[types[c]]}" for c in columns)])
            writer.writerows(
                [rel.start, rel.end, *(_cell(rel.props.get(c)) for c in columns)] for rel in rows_
            )
        args.append(f"--relationships={rel_type.value}={path}")
    return args, sum(len(r) for r in nodes.values()) + sum(len(r) for r in rels.values())


def _node_row(node: Node, columns: list[str]) -> list[str]:
    props = dict(node.props, id=node.id)
    props["searchText"] = search_text(props)
    return [node.id, *(_cell(props.get(c)) for c in columns)]


def import_args_from(out: Path) -> list[str]:
    """The importer's arguments for the CSVs :func:`write_import_csv` left in ``out`` (one file per
    label and per relationship type, named after it), so an earlier build's files load again
    without the build (``bench.scale --import-csv``)."""
    args = [
        f"--nodes={':'.join(['Entity', *labels_for(NodeLabel(path.stem.removeprefix('nodes-')))])}={path}"
        for path in sorted(out.glob("nodes-*.csv"))
    ]
    args += [
        f"--relationships={RelType(path.stem.removeprefix('rels-')).value}={path}"
        for path in sorted(out.glob("rels-*.csv"))
    ]
    if not any(a.startswith("--nodes=") for a in args):
        raise FileNotFoundError(f"no nodes-*.csv in {out}: not a directory of neo4j-admin import CSVs")
    return args


def run_importer(home: Path, args: list[str], work: Path, timeout_s: float | None = None) -> None:
    """``neo4j-admin database import full`` into the (stopped) instance at ``home``.

    The tool's own memory is bounded (``-Xmx1g`` and ``--max-off-heap-memory``): its default
    off-heap share is 90 % of the machine's free memory, which on a shared machine is other
    processes' memory. Raises :class:`subprocess.TimeoutExpired` after ``timeout_s``."""
    command = [
        shutil.which("java") or "java",
        "-Xmx1g",
        "-cp",
        # fetch(), not lib_dir(): on a fresh machine the offline load runs before any start has
        # resolved the jars from Maven Central (it did: "Could not find … AdminTool").
        f"{home / 'conf'}/*:{neo4j_local.fetch()}/*",
        "org.neo4j.cli.AdminTool",
        *("database", "import", "full", "neo4j"),
        "--overwrite-destination",
        "--array-delimiter=U+001F",
        "--multiline-fields=true",  # descriptions and abstracts may hold line breaks
        "--ignore-empty-strings=true",
        f"--max-off-heap-memory={os.environ.get('INNOGRAPH_IMPORT_OFF_HEAP', '2g')}",
        f"--report-file={work / 'import.report'}",  # not the working directory
        *args,
    ]
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    log = work / "neo4j-admin-import.log"
    with log.open("w", encoding="utf-8") as out:  # a file, not a pipe: the tool's progress is long
        done = subprocess.run(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False, timeout=timeout_s
        )
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"neo4j-admin import failed ({done.returncode}):\n{tail}")


def bring_online(uri: str, timeout_s: float = 600.0) -> tuple[int, int]:
    """After an import: open the store (which creates the schema: constraints, TEXT and
    full-text indexes) and wait until every index is online; returns (nodes, relationships)."""
    store = Neo4jStore(uri)
    try:
        with store._driver.session(database=store.database) as session:
            session.run("CALL db.awaitIndexes($t)", t=int(timeout_s)).consume()
        counts = store.counts()
    finally:
        store.close()
    return sum(counts.labels.values()), sum(counts.relationships.values())


def admin_import(name: str, items: Iterable[Node | Relationship], work: Path) -> tuple[int, dict[str, float]]:
    """Fill local instance ``name`` from ``items`` the offline way; returns (records, seconds per step)."""
    seconds: dict[str, float] = {}
    state = neo4j_local.start(name, heap="2g", pagecache="512m")
    home = Path(str(state["home"]))
    started = time.perf_counter()
    args, records = write_import_csv(items, work / "import-csv")
    seconds["write CSV"] = time.perf_counter() - started

    mark = time.perf_counter()
    neo4j_local.stop(name)
    seconds["stop server"] = time.perf_counter() - mark

    mark = time.perf_counter()
    run_importer(home, args, work)
    seconds["neo4j-admin import"] = time.perf_counter() - mark

    mark = time.perf_counter()
    state = neo4j_local.start(name, heap="2g", pagecache="512m")
    seconds["start server"] = time.perf_counter() - mark

    mark = time.perf_counter()
    nodes, rels = bring_online(str(state["uri"]))
    seconds["schema + indexes online"] = time.perf_counter() - mark
    loaded = nodes + rels
    if loaded != records:
        raise RuntimeError(f"neo4j-admin import loaded {loaded} records, expected {records}")
    seconds["total"] = time.perf_counter() - started
    return records, seconds
