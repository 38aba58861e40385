"""The key file (issue #16, finding 9): written 0600 from the start, atomically, and locked
across processes so concurrent changes are never lost."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from api.security import KeyStore, Role

ROOT = Path(__file__).resolve().parents[2]
#: Each process creates keys as fast as it can; the other revokes one of its own as well.
WORKER = """
import sys
from api.security import KeyStore, Role
keys = KeyStore(__import__("pathlib").Path(sys.argv[1]))
made = [keys.create(f"{sys.argv[2]}-{i}", Role.READER)[0] for i in range(int(sys.argv[3]))]
assert keys.revoke(made[0])
print(" ".join(made))
"""


def test_two_processes_racing_lose_no_change(tmp_path: Path) -> None:
    path = tmp_path / "api-keys.json"
    KeyStore(path).create("seed", Role.ADMIN)
    n = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), name, str(n)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("cli", "server")
    ]
    made: list[list[str]] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        made.append(out.split())
    stored = json.loads(path.read_text(encoding="utf-8"))
    for ids in made:
        assert set(ids) <= set(stored), "a key created by one process was lost"
        assert stored[ids[0]]["revoked"], "a revocation was lost"
    assert len(stored) == 1 + 2 * n


def test_the_key_file_is_never_readable_by_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "api-keys.json"
    seen: list[int] = []
    real_replace = os.replace

    def check_then_replace(src: str | Path, dst: str | Path) -> None:
        seen.append(stat.S_IMODE(os.stat(src).st_mode))  # the new file, before it is in place
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", check_then_replace)
    # A chmod after writing leaves a window in which the secret file is 0644: the mode must come
    # from how the file is created, so the test takes chmod away.
    monkeypatch.setattr(os, "chmod", lambda *args, **kwargs: None)
    old = os.umask(0o022)  # the usual default: files 0644 unless created otherwise
    try:
        KeyStore(path).create("a", Role.READER)
    finally:
        os.umask(old)
    assert seen == [0o600]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
