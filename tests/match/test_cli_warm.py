"""A CLI call after the first answers from the index saved on disk (issue #12): it builds no
index, does not open the store, and loads neither spaCy, scikit-learn nor pypinyin — what made
a warm call take seconds. A write to the store is seen by the next call (it rebuilds).

Each call is its own process, as a user's would be (what is imported is per process); no
timing is asserted (``python -m bench.match_latency --cli`` measures it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from graph.changeset import ChangeSet
from graph.embedded import EmbeddedStore
from graph.model import NodeLabel as L
from tests.match.fixture import FIRM, NEW_PARTNER, _patent, matching_changes

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("graph.embedded", "spacy", "sklearn", "pypinyin")
#: Runs the CLI in a fresh interpreter and reports the index builds and the heavy modules loaded.
PROBE = """
import json, sys
watched = json.loads(sys.argv[2])
sys.argv = ["innograph", *json.loads(sys.argv[1])]
from innograph_cli.main import app
from match import disk_cache
try:
    app()
except SystemExit as e:
    if e.code:
        raise
heavy = [m for m in watched if m in sys.modules]
print(json.dumps({"builds": disk_cache.builds, "heavy": heavy}), file=sys.stderr)
"""


def _call(data_dir: Path, *args: str) -> tuple[dict[str, object], dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    env.update(INNOGRAPH_DATA_DIR=str(data_dir), INNOGRAPH_STORE="embedded")
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE, json.dumps([*args, "--json"]), json.dumps(HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), json.loads(done.stderr.strip().splitlines()[-1])


def test_second_call_loads_the_saved_index_and_a_write_is_seen(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.innograph")
    store.apply(matching_changes())
    store.close()
    text = ["match-demand", "--text", "大功率LED散热", "--type", "Patent"]

    first, probe = _call(tmp_path, *text)
    assert probe["builds"] == 1
    [saved] = (tmp_path / "match-index").glob("*.pkl")
    stamp = saved.stat().st_mtime_ns

    again, probe = _call(tmp_path, *text)
    assert probe == {"builds": 0, "heavy": []}
    assert again == first and first["matches"]
    assert saved.stat().st_mtime_ns == stamp

    partners, probe = _call(tmp_path, "partners", FIRM, "--exclude-existing")
    assert probe == {"builds": 0, "heavy": []}
    assert partners["matches"][0]["candidate"]["id"] == NEW_PARTNER

    # A write by another process: the next call sees it (rebuilds), not the saved index.
    store = EmbeddedStore(tmp_path / "graph.innograph")
    cs = ChangeSet()
    _patent(cs, "patent:new-heat", "大功率LED散热翅片", ["F21V29/76"], 2021, [(L.UNIVERSITY, NEW_PARTNER)])
    store.apply(cs)
    store.close()
    after, probe = _call(tmp_path, *text)
    assert probe["builds"] == 1
    assert "patent:new-heat" in [m["candidate"]["id"] for m in after["matches"]]
