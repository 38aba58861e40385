"""The product installed from its wheel, outside the checkout, works: ``innograph --help``,
``innograph demo build --scale 1`` and ``innograph serve`` answering ``/healthz`` and ``/``.

It catches data files the product reads at run time that are not package data (Cypher, the demo
specs, the web page, reference CSVs): a checkout or an editable install finds them by accident.

Kept offline and fast: the wheel is built with the running venv's setuptools (no build
isolation), installed with ``--no-deps`` into a fresh venv, and that venv sees the running venv's
site-packages — its third-party libraries — through a ``.pth`` line. A path added by a ``.pth``
line is not itself a site directory, so the editable install's finder there never runs: only the
wheel's copy of ``graph``, ``api``… can be imported (the first test checks exactly that).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The top-level packages the wheel carries, as pyproject.toml lists them.
PACKAGES = tuple(
    pattern.removesuffix("*")
    for pattern in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
)

PIP = (sys.executable, "-m", "pip")  # the running venv's pip, so nothing is downloaded

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    bin: Path
    env: dict[str, str]
    cwd: Path

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=self.cwd, env=self.env, capture_output=True, text=True, timeout=timeout
        )


def _build_wheel(tmp: Path) -> Path:
    # From a copy of the sources: an in-tree build leaves build/lib behind, whose stale files
    # (a module since moved) would end up in the next wheel and hide exactly what this test is for.
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp / "dist"
    subprocess.run(
        [*PIP, "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("innograph-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(tmp)
    target = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The running venv's libraries (neo4j, fastapi, spacy…), after the new venv's own site-packages.
    Path(purelib, "running-venv-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [*PIP, "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    away = tmp / "elsewhere"  # not the checkout, so nothing is imported from it by accident
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INNOGRAPH_", "NEO4J_"))}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join([str(target / "bin"), "/usr/bin", "/bin"])
    env["INNOGRAPH_DATA_DIR"] = str(away / "data")
    yield Installed(bin=target / "bin", env=env, cwd=away)


def test_the_installed_packages_are_the_wheels_not_the_checkout(installed: Installed) -> None:
    code = (
        "import sys, importlib; print('\\n'.join(importlib.import_module(p).__file__ for p in sys.argv[1:]))"
    )
    result = installed.run(str(installed.bin / "python"), "-c", code, *PACKAGES)
    assert result.returncode == 0, result.stderr
    files = [Path(line) for line in result.stdout.splitlines()]
    assert len(files) == len(PACKAGES)
    for file in files:
        assert file.is_relative_to(installed.bin.parent), file
        assert not file.is_relative_to(ROOT), file


def test_package_data_is_installed(installed: Installed) -> None:
    code = (
        "from graph.cypher_catalog import schema_statements, cypher\n"
        "from ingest.known_exports import templates\n"
        "from ingest.reference import PACKAGE_DATA\n"
        "from api.web_assets import WEB_ROOT\n"
        "print(len(schema_statements()), len(cypher('merge_nodes')) > 0, len(templates()),\n"
        "      len(list(PACKAGE_DATA.glob('*.csv'))), len(list(WEB_ROOT.rglob('*.js'))))\n"
    )
    result = installed.run(str(installed.bin / "python"), "-c", code)
    assert result.returncode == 0, result.stderr
    statements, merge, templates, csvs, scripts = result.stdout.split()
    assert int(statements) > 10 and merge == "True"
    assert int(templates) == len(list((ROOT / "ingest" / "templates").glob("*.toml")))
    assert int(csvs) == len(list((ROOT / "ingest" / "data").glob("*.csv")))
    assert int(scripts) == len(list((ROOT / "api" / "web").rglob("*.js")))


def test_help(installed: Installed) -> None:
    result = installed.run(str(installed.bin / "innograph"), "--help")
    assert result.returncode == 0, result.stderr
    for command in ("demo", "serve", "ingest"):
        assert command in result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_build_then_serve_the_page(installed: Installed) -> None:
    built = installed.run(str(installed.bin / "innograph"), "demo", "build", "--scale", "1")
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    specs = sorted(
        p.name for p in (Path(installed.env["INNOGRAPH_DATA_DIR"]) / "demo-x1" / "specs").iterdir()
    )
    assert "01_parks.toml" in specs and len(specs) > 20
    stats = installed.run(str(installed.bin / "innograph"), "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert '"Enterprise"' in stats.stdout

    port = _free_port()
    log = installed.cwd / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(installed.bin / "innograph"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=installed.cwd,
            env=installed.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = httpx.get(f"{base}/healthz", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert health is not None, log.read_text()
        assert health.status_code == 200 and health.json()["status"] == "ok"
        page = httpx.get(f"{base}/", timeout=10)
        assert page.status_code == 200 and "<html" in page.text.lower()
        script = httpx.get(f"{base}/static/js/app.js", timeout=10)
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_image_installs_the_wheel_built_from_every_package() -> None:
    # No Docker engine here to build it: at least the Dockerfile builds a wheel from all the
    # packages the wheel lists and installs it non-editable (an editable install hides package data).
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for package in PACKAGES:
        assert f"COPY {package} ./{package}\n" in dockerfile, package
    assert "pip wheel --no-deps -w /dist ." in dockerfile
    assert "pip install /dist/innograph-*.whl" in dockerfile
    assert "pip install -e" not in dockerfile
