"""Proxy headers trusted only when configured (issue #16, finding 3).

Before the fix ``innograph serve`` ran uvicorn with its defaults, which trust
``X-Forwarded-For`` from 127.0.0.1: rotating ``X-Forwarded-For: 10.0.N.1`` was never throttled.
These tests start the real command and send the requests over a socket.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from api.serving import uvicorn_options

LIMIT = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(tmp_path: Path, **extra: str) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "INNOGRAPH_STORE": "embedded",
        "INNOGRAPH_DATA_DIR": str(tmp_path),
        "INNOGRAPH_WARM_UP": "0",
        "INNOGRAPH_ANON_RATE_LIMIT": str(LIMIT),
        "INNOGRAPH_RATE_BURST": str(LIMIT),
        **extra,
    }
    if "INNOGRAPH_TRUSTED_PROXIES" not in extra:
        env.pop("INNOGRAPH_TRUSTED_PROXIES", None)
    cli = Path(sys.executable).with_name("innograph")
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen([str(cli), "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def _rotating(base: str, n: int) -> list[int]:
    return [
        httpx.get(base + "/api/v1/stats", headers={"X-Forwarded-For": f"10.0.{i}.1"}, timeout=10).status_code
        for i in range(n)
    ]


def test_rotating_x_forwarded_for_is_still_throttled(tmp_path: Path) -> None:
    with _serve(tmp_path) as base:
        codes = _rotating(base, LIMIT + 3)
    assert codes[:LIMIT] == [200] * LIMIT
    assert set(codes[LIMIT:]) == {429}


def test_configured_proxy_is_believed(tmp_path: Path) -> None:
    """The control: with 127.0.0.1 listed as the proxy, each forwarded address has its own limit
    (so the throttling above is the setting's doing, not a limit on everything)."""
    with _serve(tmp_path, INNOGRAPH_TRUSTED_PROXIES="127.0.0.1") as base:
        assert _rotating(base, LIMIT + 3) == [200] * (LIMIT + 3)


def test_trusted_proxies_setting() -> None:
    assert uvicorn_options({})["proxy_headers"] is False
    options = uvicorn_options({"INNOGRAPH_TRUSTED_PROXIES": "10.1.2.3, 192.168.0.0/24"})
    assert options["proxy_headers"] is True and options["forwarded_allow_ips"] == "10.1.2.3,192.168.0.0/24"
    with pytest.raises(ValueError, match="not an IP address"):
        uvicorn_options({"INNOGRAPH_TRUSTED_PROXIES": "*"})
