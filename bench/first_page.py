"""Fresh-machine `make run`: seconds from a fresh clone to the first page, and the venv's size.

    python -m bench.first_page [--ref REF ...] [--no-pip-cache] [--port 8765]

For each REF (default HEAD) it clones the repository into a temporary folder, runs `make run`
there, polls http://127.0.0.1:PORT/ until it answers 200, then stops the server and measures
`.venv` (MB and number of installed distributions). With two refs it prints the after/before
ratios. `--no-pip-cache` sets PIP_NO_CACHE_DIR=1 (every wheel downloaded again). The figures
depend on the network, the pip cache and the machine's load: the load average is printed too.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class FirstPage:
    ref: str
    install_s: float
    first_page_s: float
    venv_mb: float
    distributions: int


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def _venv_mb(venv: Path) -> float:
    out = subprocess.run(["du", "-sk", str(venv)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0]) / 1024


def measure(ref: str, port: int, no_pip_cache: bool, timeout: float) -> FirstPage:
    with tempfile.TemporaryDirectory(prefix="first-page-") as tmp:
        repo = Path(tmp) / "innograph"
        subprocess.run(["git", "clone", "-q", "--no-checkout", str(ROOT), str(repo)], check=True)
        subprocess.run(["git", "-C", str(repo), "checkout", "-q", ref], check=True)
        makefile = repo / "Makefile"
        if "PORT ?=" not in makefile.read_text():  # before HOST/PORT existed: same command, our port
            makefile.write_text(makefile.read_text().replace("--port 8000", f"--port {port}"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INNOGRAPH_", "VIRTUAL_ENV"))}
        if no_pip_cache:
            env["PIP_NO_CACHE_DIR"] = "1"
        log = (Path(tmp) / "make.log").open("w")
        start = time.monotonic()
        make = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=repo,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one process group: make, the demo build, the server
        )
        installed_at = None
        try:
            while True:
                elapsed = time.monotonic() - start
                if installed_at is None and any((repo / ".venv").glob(".installed-*")):
                    installed_at = elapsed
                if _answers(f"http://127.0.0.1:{port}/"):
                    first_page = elapsed
                    break
                if make.poll() is not None or elapsed > timeout:
                    log.flush()
                    tail = (Path(tmp) / "make.log").read_text()[-3000:]
                    raise SystemExit(
                        f"{ref}: no page after {elapsed:.0f} s (make exit {make.poll()}):\n{tail}"
                    )
                time.sleep(0.5)
        finally:
            if make.poll() is None:
                os.killpg(make.pid, signal.SIGTERM)
            make.wait(timeout=60)
            log.close()
        venv = repo / ".venv"
        listing = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return FirstPage(
            ref=ref,
            install_s=installed_at if installed_at is not None else float("nan"),
            first_page_s=first_page,
            venv_mb=_venv_mb(venv),
            distributions=len(listing.splitlines()),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ref", action="append", help="commit or branch to clone (repeatable)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-pip-cache", action="store_true", help="PIP_NO_CACHE_DIR=1")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    results = []
    for ref in args.ref or ["HEAD"]:
        result = measure(ref, args.port, args.no_pip_cache, args.timeout)
        results.append(result)
        print(
            f"{ref}: install {result.install_s:.0f} s, first page {result.first_page_s:.0f} s, "
            f".venv {result.venv_mb:.0f} MB, {result.distributions} distributions",
            flush=True,
        )
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; pip cache: "
        f"{'off' if args.no_pip_cache else 'warm'}"
    )
    if len(results) == 2:
        before, after = results
        print(
            f"after/before: first page {after.first_page_s / before.first_page_s:.2f}×, "
            f".venv {after.venv_mb / before.venv_mb:.2f}×"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
