#!/usr/bin/env python3
"""A real Neo4j Community 5.26 for development and tests, without Docker.

``neo4j_local.py start|stop|status|env|fetch [--name NAME] [--port PORT] [--remove]``

The server jars come from Maven Central (``scripts/neo4j/pom.xml``, resolved with the
machine's Maven into ``$INNOGRAPH_CACHE/neo4j/lib-<version>``, default ``.cache``, outside
git). Each instance gets a minimal home under ``$INNOGRAPH_CACHE/neo4j/<name>``: Bolt on
127.0.0.1, HTTP off, auth off. Its port is chosen once — ``--port``, else ``NEO4J_LOCAL_PORT``,
else a free one — recorded in the home and reused on every restart, so an exported
``NEO4J_URI`` stays right. The heap and page cache are sized to the machine (an eighth and a
sixteenth of its memory, within 512 MiB–2 GiB and 128 MiB–1 GiB; ``NEO4J_LOCAL_HEAP`` and
``NEO4J_LOCAL_PAGECACHE`` override), starting small and growing as needed. It runs with the
machine's Java 17 and the JVM options the official launcher adds, and maps a class-data
sharing archive of Neo4j's classes (recorded on a first start, checked before each use; see
"class-data sharing" below), so restarts are faster. It also puts InnoGraph's warm-up extension
(``scripts/neo4j/warmup``, compiled once with the machine's ``javac``) on the class path, which
plans the API's entity lookup before Bolt opens (``NEO4J_LOCAL_WARMUP=0``: not). Standard
library only, so it works before the virtualenv exists.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "scripts" / "neo4j" / "pom.xml"
CACHE = Path(os.environ.get("INNOGRAPH_CACHE", ROOT / ".cache")) / "neo4j"
START_TIMEOUT_S = float(os.environ.get("NEO4J_LOCAL_START_TIMEOUT", "180"))
#: The heap starts here and grows up to the maximum only if the work needs it.
INITIAL_HEAP = "256m"

# What Neo4jCommand adds for 5.26 (see `Neo4jCommand console --dry-run` and neo4j.conf's
# server.jvm.additional defaults): without the opens, the page cache and Netty fail on Java 17.
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    # Not -XX:+AlwaysPreTouch (the launcher's default): it makes the whole heap resident at
    # start, 2.5 GB for a development server that mostly idles.
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


#: Where the class-data sharing archives live (next to the jars; tests point it elsewhere).
CDS_DIR = CACHE

#: InnoGraph's Neo4j extension: plans the API's entity lookup before Bolt opens (graph/server_warmup.py).
WARMUP_SRC = ROOT / "scripts" / "neo4j" / "warmup"
WARMUP_STATEMENTS = WARMUP_SRC / "statements.json"


class Neo4jLocalError(RuntimeError):
    pass


def neo4j_version() -> str:
    match = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", POM.read_text())
    if not match:
        raise Neo4jLocalError(f"{POM}: no <neo4j.version>")
    return match.group(1)


def lib_dir() -> Path:
    return CACHE / f"lib-{neo4j_version()}"


def fetch() -> Path:
    """Resolve the server jars from Maven Central once; later calls reuse the cache."""
    lib = lib_dir()
    if (lib / ".complete").exists():
        return lib
    if shutil.which("mvn") is None:
        raise Neo4jLocalError("Maven (mvn) is not installed; it fetches Neo4j from Maven Central")
    if shutil.which("java") is None:
        raise Neo4jLocalError("Java is not installed; Neo4j 5.26 needs Java 17 or 21")
    tmp = lib.with_name(lib.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [
        "mvn",
        "-q",
        "-B",
        "-f",
        str(POM),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={tmp}",
    ]
    print(f"neo4j-local: fetching Neo4j {neo4j_version()} from Maven Central …", file=sys.stderr)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not any(tmp.glob("neo4j-server-*.jar")):
        raise Neo4jLocalError(
            f"Maven could not fetch Neo4j {neo4j_version()}:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}"
        )
    (tmp / ".complete").write_text(neo4j_version())
    shutil.rmtree(lib, ignore_errors=True)
    tmp.rename(lib)
    return lib


def warmup_enabled() -> bool:
    """``NEO4J_LOCAL_WARMUP`` (default on); ``0`` starts without planning the lookup first."""
    return os.environ.get("NEO4J_LOCAL_WARMUP", "1") != "0"


def warmup_plugin() -> Path:
    """The warm-up extension's jar, compiled with the machine's ``javac`` against the fetched
    Neo4j jars once per source and Neo4j version (cached next to them)."""
    lib = fetch()
    files = sorted(p for p in (WARMUP_SRC / "src").rglob("*") if p.is_file())
    digest = hashlib.sha256(neo4j_version().encode())
    for path in files:
        digest.update(str(path.relative_to(WARMUP_SRC)).encode() + b"\0" + path.read_bytes())
    jar = CACHE / f"innograph-warmup-{neo4j_version()}-{digest.hexdigest()[:12]}.jar"
    if jar.exists():
        return jar
    javac = shutil.which("javac")
    if javac is None:
        raise Neo4jLocalError(
            "javac (a JDK 17) builds InnoGraph's warm-up extension and is not installed: "
            "install openjdk-17-jdk-headless, or start without it with NEO4J_LOCAL_WARMUP=0"
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    # a folder of its own: two starts may build at once (the suite and a bench); the last
    # rename wins, and both built the same jar
    build = Path(tempfile.mkdtemp(prefix=jar.name + ".", suffix=".build", dir=CACHE))
    classes = build / "classes"
    sources = [str(p) for p in files if p.suffix == ".java"]
    proc = subprocess.run(
        [javac, "--release", "17", "-nowarn", "-cp", f"{lib}/*", "-d", str(classes), *sources],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        shutil.rmtree(build, ignore_errors=True)
        raise Neo4jLocalError(f"javac could not build the warm-up extension:\n{proc.stderr[-3000:]}")
    resources = WARMUP_SRC / "src" / "main" / "resources"
    partial = build / jar.name
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        for root in (classes, resources):
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                zf.write(path, str(path.relative_to(root)))
    os.replace(partial, jar)
    shutil.rmtree(build, ignore_errors=True)
    return jar


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def home_dir(name: str) -> Path:
    return CACHE / name


def _machine_memory() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (OSError, ValueError):
        return 8 * 2**30


def _mib(n: int, low: int, high: int) -> str:
    return f"{max(low, min(high, n)) // 2**20}m"


def _bytes(size: str) -> int:
    units = {"k": 2**10, "m": 2**20, "g": 2**30}
    return int(size[:-1]) * units[size[-1].lower()] if size[-1].lower() in units else int(size)


def initial_heap(heap: str) -> str:
    """Where the heap starts: :data:`INITIAL_HEAP`, or ``heap`` if that is smaller."""
    return heap if _bytes(heap) < _bytes(INITIAL_HEAP) else INITIAL_HEAP


def default_heap() -> str:
    """``NEO4J_LOCAL_HEAP``, else an eighth of the machine's memory within 512 MiB–2 GiB."""
    return os.environ.get("NEO4J_LOCAL_HEAP") or _mib(_machine_memory() // 8, 512 * 2**20, 2 * 2**30)


def default_pagecache() -> str:
    """``NEO4J_LOCAL_PAGECACHE``, else a sixteenth of the memory within 128 MiB–1 GiB."""
    return os.environ.get("NEO4J_LOCAL_PAGECACHE") or _mib(_machine_memory() // 16, 128 * 2**20, 2**30)


def _port_path(name: str) -> Path:
    return home_dir(name) / "port"


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(name: str, port: int | None = None) -> int:
    """``port``, else ``NEO4J_LOCAL_PORT``, else the one recorded for this instance (if still
    free), else a free one — and record it, so the next start reuses it."""
    recorded: int | None = None
    with contextlib.suppress(OSError, ValueError):
        recorded = int(_port_path(name).read_text().strip())
    chosen = port or int(os.environ.get("NEO4J_LOCAL_PORT") or 0) or None
    if chosen is None and recorded is not None:
        if _port_is_free(recorded):
            chosen = recorded
        else:
            print(
                f"neo4j-local: port {recorded} recorded for {name!r} is taken; choosing another "
                "(update NEO4J_URI)",
                file=sys.stderr,
            )
    chosen = chosen or free_port()
    _port_path(name).parent.mkdir(parents=True, exist_ok=True)
    _port_path(name).write_text(f"{chosen}\n")
    return chosen


def _state_path(name: str) -> Path:
    return home_dir(name) / "run" / "state.json"


def _read_state(name: str) -> dict[str, object] | None:
    try:
        return dict(json.loads(_state_path(name).read_text()))
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie child counts as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1].split()[0] != "Z"
    except OSError:
        return True


def _bolt_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def status(name: str = "dev") -> dict[str, object] | None:
    """The running instance's state (pid, port, uri), or None."""
    state = _read_state(name)
    if state and _alive(int(str(state["pid"]))) and _bolt_answers(int(str(state["port"]))):
        return state
    return None


#: While the database stops or starts Neo4j makes each new transaction wait this long (its
#: default: 1 s) before answering "database unavailable"; the API's breaker trips on that answer,
#: so every request in flight at a stop waited it out. An internal setting (read from 5.26's
#: jars; a rename fails the start: strict validation); docs/NEO4J.md says why.
OUTAGE_SETTINGS: dict[str, str] = {"internal.dbms.transaction_start_timeout": "200ms"}


def _write_conf(
    home: Path, port: int, heap: str, pagecache: str, extra: dict[str, str] | None = None
) -> None:
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(
        "\n".join(
            [
                "server.default_listen_address=127.0.0.1",
                "server.default_advertised_address=127.0.0.1",
                f"server.bolt.listen_address=127.0.0.1:{port}",
                f"server.bolt.advertised_address=127.0.0.1:{port}",
                "server.http.enabled=false",
                "server.https.enabled=false",
                "dbms.security.auth_enabled=false",
                f"server.memory.heap.initial_size={initial_heap(heap)}",
                f"server.memory.heap.max_size={heap}",
                f"server.memory.pagecache.size={pagecache}",
                "db.tx_log.rotation.retention_policy=1 files",
                "dbms.usage_report.enabled=false",
                *(f"{key}={value}" for key, value in {**OUTAGE_SETTINGS, **(extra or {})}.items()),
                "",
            ]
        )
    )


def configure(name: str, *, heap: str, pagecache: str, port: int | None = None) -> Path:
    """Write instance ``name``'s configuration without starting it; returns its home. For
    offline tools (``neo4j-admin database import``) that must run before the first start."""
    home = home_dir(name)
    _write_conf(home, choose_port(name, port), heap, pagecache)
    return home


def start(
    name: str = "dev",
    *,
    port: int | None = None,
    heap: str | None = None,
    pagecache: str | None = None,
    settings: dict[str, str] | None = None,
    jvm_options: list[str] | None = None,
    cds: bool | None = None,
    warmup: bool | None = None,
    warmup_statements: Path | None = None,
) -> dict[str, object]:
    """Start (or find running) instance ``name``; returns its state once Bolt answers.
    ``heap``/``pagecache`` default to :func:`default_heap`/:func:`default_pagecache`; ``cds``
    (default :func:`cds_enabled`) maps the class-data sharing archive, recording it first if
    there is none usable (state ``cds``: ``shared``, ``recording`` or ``off``); ``warmup``
    (default :func:`warmup_enabled`) has the server plan the API's entity lookup before its Bolt
    port opens (``graph/server_warmup.py``), or the statements of ``warmup_statements`` if given
    (a file of the same form; the benches compare subsets)."""
    running = status(name)
    if running:
        return running
    lib = fetch()
    home = home_dir(name)
    port = choose_port(name, port)
    heap = heap or default_heap()
    pagecache = pagecache or default_pagecache()
    _write_conf(home, port, heap, pagecache, settings)
    log_path = home / "logs" / "console.log"
    java = shutil.which("java") or "java"
    use_warmup = warmup_enabled() if warmup is None else warmup
    env = {k: v for k, v in os.environ.items() if k != "INNOGRAPH_WARMUP_FILE"}
    if use_warmup:
        env["INNOGRAPH_WARMUP_FILE"] = str(warmup_statements or WARMUP_STATEMENTS)
    # The extension is on the class path either way (without the variable it does nothing), so
    # the class-data archive fits a start with and without the warm-up.
    plugin = f":{warmup_plugin()}" if use_warmup or shutil.which("javac") else ""
    classpath = f"{home / 'conf'}/*:{lib}/*{plugin}:{home / 'plugins'}/*"
    use_cds = cds_enabled() if cds is None else cds
    cds_opts, cds_state = _cds_options(name, java, classpath, heap) if use_cds else ([], {"cds": "off"})
    cmd = [
        java,
        f"-Xms{initial_heap(heap)}",
        f"-Xmx{heap}",
        *JVM_OPTIONS,
        *cds_opts,
        # More JVM options, e.g. -XX:TieredStopAtLevel=1 (docs/NEO4J.md, "The JIT": recovery after
        # a restart ×0.29, but the ×10 projection read ×1.18; not the default)
        *os.environ.get("NEO4J_LOCAL_JVM_OPTIONS", "").split(),
        *(jvm_options or []),
        "-cp",
        classpath,
        "org.neo4j.server.CommunityEntryPoint",
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
        "--console-mode",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=home,
            env=env,
        )
    state: dict[str, object] = {
        "pid": proc.pid,
        "port": port,
        "uri": f"bolt://127.0.0.1:{port}",
        "home": str(home),
        "version": neo4j_version(),
        "heap": heap,
        "pagecache": pagecache,
        "warmup": "on" if use_warmup else "off",
        **cds_state,
    }
    _state_path(name).write_text(json.dumps(state))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Neo4jLocalError(
                f"Neo4j exited with code {proc.returncode} while starting:\n{_tail(log_path)}"
            )
        if _bolt_answers(port) and b"Started." in log_path.read_bytes():
            if state["cds"] == "recording":
                _train(str(state["uri"]))
            return state
        time.sleep(0.5)
    stop(name)
    raise Neo4jLocalError(f"Neo4j did not answer on Bolt within {START_TIMEOUT_S:.0f}s:\n{_tail(log_path)}")


# -- class-data sharing ------------------------------------------------------------------------
# A restarted Neo4j spends much of its first seconds loading and verifying ~19,000 classes from
# the jars, before and while it answers its first queries (bench/neo4j_restart.py; docs/NEO4J.md).
# A dynamic AppCDS archive holds them pre-parsed and verified: the first start of an instance
# without a usable archive runs with -XX:ArchiveClassesAtExit, and its clean stop writes the
# archive (every class the session loaded, the Cypher statements it ran included); later starts
# map it with -XX:SharedArchiveFile. An archive is checked before each use with -Xshare:on and
# -XX:+VerifySharedSpaces (the JVM silently ignores a mismatched one under its default
# -Xshare:auto, and maps a damaged one unchecked): a refused archive is deleted, the start goes
# on plain and records a new one.


def cds_enabled() -> bool:
    """``NEO4J_LOCAL_CDS`` (default on); ``0`` starts without an archive and records none."""
    return os.environ.get("NEO4J_LOCAL_CDS", "1").strip().lower() not in ("0", "false", "no", "off")


def cds_archive(java: str, heap: str = "512m") -> Path:
    """The archive for this Neo4j version and this JVM build (an archive is valid for exactly
    one of each: the JVM refuses another build's, and the class path is Neo4j's jars); a heap
    of 31 GiB or more has one of its own (no compressed oops: the JVM refuses the other)."""
    jvm = Path(java).resolve()
    ident = [str(jvm)]
    with contextlib.suppress(OSError):
        ident.append((jvm.parent.parent / "release").read_text())
        ident.append(str(jvm.stat().st_mtime_ns))
    tag = hashlib.sha256("\n".join(ident).encode()).hexdigest()[:12]
    large = "-large-heap" if _bytes(heap) >= 31 * 2**30 else ""
    return CDS_DIR / f"cds-{neo4j_version()}-{tag}{large}.jsa"


def cds_usable(java: str, archive: Path, classpath: str, heap: str) -> bool:
    """Whether the JVM maps ``archive`` for this class path: a throwaway ``-version`` run with
    ``-Xshare:on`` (fail instead of ignoring) and ``-XX:+VerifySharedSpaces`` (check its CRCs),
    ~0.3 s."""
    if not archive.is_file():
        return False
    cmd = [
        java,
        "-Xshare:on",
        f"-XX:SharedArchiveFile={archive}",
        "-XX:+VerifySharedSpaces",
        f"-Xmx{heap}",  # compressed oops depend on the heap size; so does the archive
        *JVM_OPTIONS,
        "-cp",
        classpath,
        "-version",
    ]
    try:
        return subprocess.run(cmd, capture_output=True, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _cds_options(name: str, java: str, classpath: str, heap: str) -> tuple[list[str], dict[str, str]]:
    """The JVM options for class-data sharing and what the state records about it."""
    archive = cds_archive(java, heap)
    if cds_usable(java, archive, classpath, heap):
        return [f"-XX:SharedArchiveFile={archive}"], {"cds": "shared", "cds_archive": str(archive)}
    if archive.exists():
        print(
            f"neo4j-local: the JVM refuses {archive}; starting without it and recording a new one",
            file=sys.stderr,
        )
        archive.unlink(missing_ok=True)
    archive.parent.mkdir(parents=True, exist_ok=True)
    # Written by this instance's clean stop, then moved into place (two instances recording at
    # once each write their own file; the last move wins, both are sound).
    recording = archive.with_name(f"{archive.name}.{name}.recording")
    recording.unlink(missing_ok=True)
    return [f"-XX:ArchiveClassesAtExit={recording}"], {
        "cds": "recording",
        "cds_archive": str(archive),
        "cds_recording": str(recording),
    }


def _train(uri: str) -> None:
    """While recording: run the statements the API's recovery warms — the probe, the entity
    lookup, search, neighbours, a demand's writes, each rolled back (nothing is written) — so the
    archive holds Bolt's and the Cypher stack's classes, not only the server's start (measured:
    an archive of a start alone leaves the first query as slow as without one). Needs the
    virtualenv (the driver and the statements); under the system Python the session's own
    queries fill the archive."""
    try:
        from neo4j import GraphDatabase

        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from graph.cypher_catalog import cypher
        from graph.neo4j_store import _warmup_statements
    except ImportError:
        return
    try:
        with GraphDatabase.driver(uri, connection_timeout=10, max_transaction_retry_time=0) as driver:
            driver.execute_query(cypher("probe"), database_="neo4j")
            for _name, query, params, write in _warmup_statements():
                mode = "WRITE" if write else "READ"
                with driver.session(database="neo4j", default_access_mode=mode) as session:
                    tx = session.begin_transaction()
                    try:
                        tx.run(query, params).consume()
                    finally:
                        tx.rollback()
    except Exception as e:  # the archive is an optimisation: never a reason for a start to fail
        print(f"neo4j-local: training the class-data archive stopped early: {e}", file=sys.stderr)


def _finish_cds(state: dict[str, object], clean: bool) -> None:
    """After a recording instance exits: move its archive into place (a clean stop), or drop the
    partial file (killed: the JVM wrote nothing or half)."""
    if state.get("cds") != "recording":
        return
    recording = Path(str(state["cds_recording"]))
    if clean and recording.is_file() and recording.stat().st_size > 0:
        os.replace(recording, Path(str(state["cds_archive"])))
    else:
        recording.unlink(missing_ok=True)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(name: str = "dev", *, remove: bool = False) -> bool:
    """Stop instance ``name`` cleanly (SIGTERM, then SIGKILL after 60 s)."""
    state = _read_state(name)
    stopped = False
    if state:
        pid = int(str(state["pid"]))
        clean = True
        if _alive(pid):
            os.kill(pid, signal.SIGTERM)
            # A recording instance writes its class-data archive after Neo4j's own stop (~10 s).
            deadline = time.monotonic() + 60
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
                clean = False
            stopped = True
        _finish_cds(state, clean)
        _state_path(name).unlink(missing_ok=True)
    if remove:  # the data, the logs and the recorded port
        shutil.rmtree(home_dir(name), ignore_errors=True)
    return stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["fetch", "start", "stop", "status", "env"])
    parser.add_argument("--name", default="dev", help="instance name (its home is .cache/neo4j/NAME)")
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="with start: Bolt port (default NEO4J_LOCAL_PORT, else the one recorded for NAME, else free)",
    )
    parser.add_argument("--remove", action="store_true", help="with stop: delete the instance's data too")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            print(fetch())
        elif args.command == "start":
            state = start(args.name, port=args.port)
            print(
                f"neo4j-local: Neo4j {state['version']} ({args.name}) ready at {state['uri']}; "
                f"heap up to {state.get('heap', '?')}, page cache {state.get('pagecache', '?')}",
                file=sys.stderr,
            )
            print(f"export NEO4J_URI={state['uri']}")
        elif args.command == "stop":
            print("stopped" if stop(args.name, remove=args.remove) else "not running")
        elif args.command == "status":
            state = status(args.name)
            print(json.dumps(state) if state else "not running")
            return 0 if state else 3
        elif args.command == "env":
            state = status(args.name)
            if not state:
                print(f"neo4j-local: instance {args.name!r} is not running", file=sys.stderr)
                return 3
            print(f"export NEO4J_URI={state['uri']}")
    except Neo4jLocalError as e:
        print(f"neo4j-local: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
