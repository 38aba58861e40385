"""The system Chromium the browser tests and the web layout bench drive, and its flags."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
#: No sandbox or GPU in the container; no network chatter that would make timings noisy.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
