#!/usr/bin/env python3
"""A real Neo4j Community 5.26 for development and tests, without Docker.

``neo4j_local.py start|stop|status|env [--name NAME]``

The server jars come from Maven Central (``scripts/neo4j/pom.xml``, resolved with the
machine's Maven into ``.cache/neo4j/lib-<version>``, outside git). Each instance gets a
minimal home under ``.cache/neo4j/<name>``: Bolt on 127.0.0.1 at a free port, HTTP off, auth
off, a small heap and page cache. It runs with the machine's Java 17 and the JVM options the
official launcher adds. Standard library only, so it works before the virtualenv exists.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "scripts" / "neo4j" / "pom.xml"
CACHE = Path(os.environ.get("INNOGRAPH_CACHE", ROOT / ".cache")) / "neo4j"
START_TIMEOUT_S = float(os.environ.get("NEO4J_LOCAL_START_TIMEOUT", "180"))

# What Neo4jCommand adds for 5.26 (see `Neo4jCommand console --dry-run` and neo4j.conf's
# server.jvm.additional defaults): without the opens, the page cache and Netty fail on Java 17.
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def home_dir(name: str) -> Path:
    return CACHE / name


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
                f"server.memory.heap.initial_size={heap}",
                f"server.memory.heap.max_size={heap}",
                f"server.memory.pagecache.size={pagecache}",
                "db.tx_log.rotation.retention_policy=1 files",
                "dbms.usage_report.enabled=false",
                *(f"{key}={value}" for key, value in (extra or {}).items()),
                "",
            ]
        )
    )


def start(
    name: str = "dev",
    *,
    port: int | None = None,
    heap: str = "2g",
    pagecache: str = "512m",
    settings: dict[str, str] | None = None,
) -> dict[str, object]:
    """Start (or find running) instance ``name``; returns its state once Bolt answers."""
    running = status(name)
    if running:
        return running
    lib = fetch()
    home = home_dir(name)
    port = port or int(os.environ.get("NEO4J_LOCAL_PORT") or 0) or free_port()
    _write_conf(home, port, heap, pagecache, settings)
    log_path = home / "logs" / "console.log"
    java = shutil.which("java") or "java"
    cmd = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_OPTIONS,
        "-cp",
        f"{home / 'conf'}/*:{lib}/*",
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
        )
    state: dict[str, object] = {
        "pid": proc.pid,
        "port": port,
        "uri": f"bolt://127.0.0.1:{port}",
        "home": str(home),
        "version": neo4j_version(),
    }
    _state_path(name).write_text(json.dumps(state))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Neo4jLocalError(
                f"Neo4j exited with code {proc.returncode} while starting:\n{_tail(log_path)}"
            )
        if _bolt_answers(port) and b"Started." in log_path.read_bytes():
            return state
        time.sleep(0.5)
    stop(name)
    raise Neo4jLocalError(f"Neo4j did not answer on Bolt within {START_TIMEOUT_S:.0f}s:\n{_tail(log_path)}")


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
        if _alive(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 60
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
            stopped = True
        _state_path(name).unlink(missing_ok=True)
    if remove:
        shutil.rmtree(home_dir(name), ignore_errors=True)
    return stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["fetch", "start", "stop", "status", "env"])
    parser.add_argument("--name", default="dev", help="instance name (its home is .cache/neo4j/NAME)")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--remove", action="store_true", help="with stop: delete the instance's data too")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            print(fetch())
        elif args.command == "start":
            state = start(args.name, port=args.port)
            print(
                f"neo4j-local: Neo4j {state['version']} ({args.name}) ready at {state['uri']}",
                file=sys.stderr,
            )
            print(state["uri"])
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
