"""Matchmaking quality, measured where no one can tune to it.

    INNOGRAPH_SHARED_DATA=/work/shared/data .venv/bin/python -m bench.match_quality --real
    .venv/bin/python -m bench.match_quality --demo            # checks the code against the generator
    .venv/bin/python -m bench.match_quality --real --json out.json
    .venv/bin/python -m bench.match_quality --real --stores embedded   # no Neo4j

``--real`` runs the two real benchmarks:

- partners (bench/partners_real.py): a time split of the Taiwan academic patents at 2016 (and
  2017, 2018 with ``--years``), firm → next academic co-applicant, against popularity, distinct
  firm partners before T, IPC cosine, Adamic–Adar (firm–IPC–institution and co-applicants) and
  random among the active institutions;
- demands (bench/demands_real.py): the withheld-patent holder test on the Lens, PatSnap and
  Taiwan files, variants title / title + abstract / title + IPC, against BM25, TF-IDF, IPC
  cosine, popularity and random.

With ``--real`` every set is written into each store named by ``--stores`` (default: the
embedded store and a private local Neo4j, which must start — set ``INNOGRAPH_CACHE``) through
the validated write path ingest uses, the match index is built from each store's own
projection, and the run checks the stores rank every query alike ("same rankings on both
stores: yes/no"; exit status 1 on a difference) before printing the tables once.

``--demo`` runs the partner time split on the generated demo world (T = 2013). The generator
chooses partners with the same kinds of signals matchmaking uses, so this checks the code
against the generator; it says nothing about quality on real data.

Every table gives recall@1, recall@10 and MRR with bootstrap 95 % intervals, n, and ours
against the best baseline with a paired interval.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import demands_real, partners_real, real_sets, real_stores  # noqa: E402
from bench.ranking_stats import Scores, summary, table  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _partners(graph: object, year: int, title: str, out: dict[str, object]) -> None:
    t0 = time.perf_counter()
    results, info = partners_real.evaluate(graph, year)  # type: ignore[arg-type]
    _print_partners(results, info, title, out, time.perf_counter() - t0)


def _print_partners(
    results: dict[str, Scores], info: dict[str, object], title: str, out: dict[str, object], seconds: float
) -> None:
    note = (
        f"tested {info['pairs tested']} new pairs of {info['firms tested']} firms (pairs first co-applied "
        f"≥ T: {info['pairs held out']}); median {info['candidates per firm (median)']:.0f} active "
        f"candidate institutions per firm; {seconds:.0f} s"
    )
    lines = table(title, results, note, partners_real.OURS, lambda n: not n.startswith("InnoGraph"))
    lines.extend(  # the API's default ranking against the same baselines
        line
        for line in table("", results, "", partners_real.HAND, lambda n: not n.startswith("InnoGraph"))
        if line.startswith(f"{partners_real.HAND} vs")
    )
    learned = info["learned"]
    if isinstance(learned, dict):
        lines.append(f"learned weights (standardised features): {learned['weights']}")
    print("\n".join(lines), flush=True)
    out[title] = {"info": info, "results": {k: summary(v) for k, v in results.items()}}


def _print_demands(
    results: dict[str, Scores], info: dict[str, object], title: str, out: dict[str, object], seconds: float
) -> None:
    note = (
        f"{info['queries']} withheld inventions, {info['candidates']} candidate organisations; "
        f"weights chosen on {info['learned from']} other withheld inventions of the training "
        f"side; {seconds:.0f} s"
    )
    lines = table(title, results, note, demands_real.OURS, lambda n: n in demands_real.TEXT_BASELINES)
    lines.append(f"weights chosen: {info['learned weights']}")
    print("\n".join(lines), flush=True)
    out[title] = {"info": info, "results": {k: summary(v) for k, v in results.items()}}


Run = tuple[dict[str, Scores], dict[str, object], float]


def _real(args: argparse.Namespace, out: dict[str, object]) -> bool:
    """Every benchmark on every store's build; the tables once. False if the stores disagree."""
    stores = list(dict.fromkeys(args.stores))
    sets = {"tw": real_sets.load_tw(), **{name: real_sets.LOADERS[name]() for name in args.sets}}
    jobs: list[tuple[str, str, str, object]] = [
        ("partners", f"Partners, Taiwan academic patents, T = {y}", "tw", y) for y in args.years
    ]
    jobs += [
        ("demands", f"Demands, {name}, {variant}", name, variant)
        for name in args.sets
        for variant in args.variants
    ]
    runs: dict[str, dict[str, Run]] = {title: {} for _, title, _, _ in jobs}
    with tempfile.TemporaryDirectory(prefix="innograph-real-stores-") as tmp:
        for kind in sorted(stores, key=lambda k: k != "neo4j"):  # a Neo4j that cannot start fails first
            t_store = time.perf_counter()
            with real_stores.open_store(kind, Path(tmp)) as store:
                build = real_stores.builder(store)
                for what, title, name, arg in jobs:
                    t0 = time.perf_counter()
                    if what == "partners":
                        results, info = partners_real.evaluate(build(sets[name]), int(arg))  # type: ignore[call-overload]
                    else:
                        results, info = demands_real.evaluate(sets[name], str(arg), build=build)
                    runs[title][kind] = (results, info, time.perf_counter() - t0)
                    print(f"[{kind}: {title}, {time.perf_counter() - t0:.0f} s]", flush=True)
            print(f"[{kind}: all sets built and ranked in {time.perf_counter() - t_store:.0f} s]", flush=True)
    agree, queries = True, 0
    for _, title, _, _ in jobs:
        first = runs[title][stores[0]][0]
        for kind in stores[1:]:
            same, n = real_stores.same_rankings(first, runs[title][kind][0])
            queries += n
            if not same:
                agree = False
                print(f"DIFFERENT rankings on {stores[0]} and {kind}: {title}", flush=True)
    if len(stores) > 1:
        print(
            f"same rankings on both stores: {'yes' if agree else 'no'} ({queries} queries, "
            f"{len(jobs)} benchmarks, stores: {', '.join(stores)})",
            flush=True,
        )
    out["stores"] = {"stores": stores, "same rankings": agree, "queries compared": queries}
    for what, title, _, _ in jobs:
        results, info, seconds = runs[title][stores[0]]
        (_print_partners if what == "partners" else _print_demands)(results, info, title, out, seconds)
    return agree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--real", action="store_true", help="the real-data benchmarks")
    parser.add_argument("--demo", action="store_true", help="the demo world (code vs generator)")
    parser.add_argument("--years", type=int, nargs="+", default=[2016], help="partner split years (real)")
    parser.add_argument("--sets", nargs="+", default=["lens", "patsnap", "tw"], help="demand sets (real)")
    parser.add_argument(
        "--variants",
        nargs="+",
        choices=demands_real.VARIANTS,
        default=list(demands_real.VARIANTS),
        help="demand query variants (real)",
    )
    parser.add_argument(
        "--stores",
        nargs="+",
        choices=real_stores.STORES,
        default=list(real_stores.STORES),
        help="build the real sets in these stores and check they rank alike (real)",
    )
    parser.add_argument("--demo-scale", type=int, default=1)
    parser.add_argument("--demo-seed", type=int, default=20101231)
    parser.add_argument("--demo-year", type=int, default=2013)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if not (args.real or args.demo):
        parser.error("choose --real and/or --demo")
    out: dict[str, object] = {
        "command": " ".join(["python -m bench.match_quality", *(argv if argv is not None else sys.argv[1:])]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    print(f"{out['command']}  ({out['date']}, {out['machine']}, load {_load()})")
    code = 0
    if args.real and not _real(args, out):
        code = 1
    if args.demo:
        from demo.build import build_demo
        from graph.embedded import EmbeddedStore

        with tempfile.TemporaryDirectory(prefix="innograph-match-quality-") as tmp:
            work = Path(tmp)
            store = EmbeddedStore(work / "demo.innograph")
            build_demo(store, work / "demo", scale=args.demo_scale, seed=args.demo_seed, runs_dir=work)
            _partners(
                store.projection(),
                args.demo_year,
                f"Partners, demo ×{args.demo_scale} (seed {args.demo_seed}), T = {args.demo_year} — "
                "code vs generator, not quality",
                out,
            )
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
