"""``innograph partners`` / ``match-demand`` as a user runs them: one process per call.

    .venv/bin/python -m bench.match_latency --cli                   # demo ×1, embedded store
    .venv/bin/python -m bench.cli_latency --repo /tmp/base --data-dir var   # other code / graph

Issue #12 asks that CLI calls after the first answer in under a second, from a match index
saved on disk and keyed by the graph's version. This builds the demo ×1 graph on the embedded
store (or uses ``--data-dir``), removes any saved index, then runs, each as a fresh
``python -m innograph_cli.main`` process: the first call (which builds and saves the index),
then ``--rounds`` rounds of warm calls — free text, a demand by id, partners by id and by
name. For each kind it prints the wall time (median and worst) and the CPU time the process
used (user + system, from ``getrusage``), beside the load average: on a shared machine the
wall time waits for a core and the CPU time does not. The floor is a process that only
imports numpy, scipy.sparse and networkx (what unpickling an index needs at least).
``--repo`` runs another checkout's code (e.g. ``git archive`` of the commit before) on the
same graph, for a before/after comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.match_latency import build_embedded, sample_ids
from graph.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
TEXTS = (
    "无人机电池续航",
    "大功率LED散热",
    "新能源汽车电机控制器",
    "锂离子电池正极材料",
    "工业机器人视觉检测",
)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _run(argv: list[str], repo: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall s, CPU s) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(repo: Path, data_dir: Path, rounds: int) -> list[dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    env.update(INNOGRAPH_DATA_DIR=str(data_dir), INNOGRAPH_STORE="embedded", PYTHONWARNINGS="ignore")
    shutil.rmtree(data_dir / "match-index", ignore_errors=True)
    ids = sample_ids(data_dir, rounds, seed=1)
    store = EmbeddedStore(data_dir / "graph.innograph")
    firm_names = [str(store.get_node(f).props["name"]) for f in ids["firms"]]  # type: ignore[union-attr]
    cli = [sys.executable, "-m", "innograph_cli.main"]
    kinds: dict[str, list[list[str]]] = {
        "match-demand --text (free text)": [
            [*cli, "match-demand", "--text", TEXTS[i % len(TEXTS)]] for i in range(rounds)
        ],
        "match-demand DEMAND_ID": [[*cli, "match-demand", d] for d in ids["demands"][:rounds]],
        "partners FIRM_ID": [[*cli, "partners", f] for f in ids["firms"][:rounds]],
        "partners 'FIRM NAME'": [[*cli, "partners", n] for n in firm_names[:rounds]],
    }
    rows: list[dict[str, object]] = []
    floor = [sys.executable, "-c", "import numpy, scipy.sparse, networkx"]
    samples = [_run(floor, repo, env) for _ in range(rounds)]
    rows.append(_row("floor: python importing numpy, scipy.sparse, networkx", samples))
    rows.append(
        _row(
            "first call (builds and saves the index)",
            [_run(kinds["match-demand --text (free text)"][0], repo, env)],
        )
    )
    for kind, calls in kinds.items():
        rows.append(_row(f"warm: {kind}", [_run(argv, repo, env) for argv in calls]))
    return rows


def _row(kind: str, samples: list[tuple[float, float]]) -> dict[str, object]:
    walls = [w for w, _ in samples]
    cpus = [c for _, c in samples]
    return {
        "call": kind,
        "n": len(samples),
        "wall median s": statistics.median(walls),
        "wall max s": max(walls),
        "cpu median s": statistics.median(cpus),
        "cpu max s": max(cpus),
        "load": _load(),
    }


def print_rows(rows: list[dict[str, object]], title: str) -> None:
    print(f"\n{title}\n")
    print("| call | n | wall median s | wall max s | CPU median s | CPU max s | load (1/5/15 min) after |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['call']} | {r['n']} | {r['wall median s']:.2f} | {r['wall max s']:.2f} | "
            f"{r['cpu median s']:.2f} | {r['cpu max s']:.2f} | {r['load']} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout whose code runs")
    parser.add_argument("--data-dir", type=Path, help="an INNOGRAPH_DATA_DIR with graph.innograph")
    parser.add_argument("--rounds", type=int, default=5, help="warm calls per kind")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="innograph-cli-latency-")
    try:
        data_dir = args.data_dir or build_embedded(Path(tmp), 1)
        print(f"CLI latency, code {args.repo}, graph {data_dir} (load {_load()} at start)")
        rows = run(args.repo.resolve(), data_dir.resolve(), args.rounds)
        print_rows(rows, f"code: {args.repo}")
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
