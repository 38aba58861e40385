"""Demo generator speed and size by scale (×1, ×10, ×100).

    .venv/bin/python -m bench.demo_generate [--scales 1 10 100] [--seed 20101231]

Prints one row per scale: wall time, files' total size, raw rows and truth mentions, with the
ratio of time to the ×1 time (linear scaling gives a ratio equal to the scale).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from demo import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--seed", type=int, default=20101231)
    args = parser.parse_args()
    rows = []
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"x{scale}"
            started = time.perf_counter()
            result = generate(out, scale=scale, seed=args.seed)
            seconds = time.perf_counter() - started
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            raw_rows = sum(f["rows"] for f in result.expected["files"].values())
            with (out / "truth" / "mentions.jsonl").open(encoding="utf-8") as fh:
                mentions = sum(1 for _ in fh)
        rows.append((scale, seconds, size / 1e6, raw_rows, mentions))
    base = rows[0][1]
    print(f"{'scale':>6} {'seconds':>9} {'MB':>8} {'raw rows':>10} {'mentions':>10} {'time ratio':>11}")
    for scale, seconds, mb, raw_rows, mentions in rows:
        label = f"x{scale}"
        ratio = seconds / base
        print(f"{label:>6} {seconds:>9.1f} {mb:>8.1f} {raw_rows:>10,} {mentions:>10,} {ratio:>11.1f}")


if __name__ == "__main__":
    main()
