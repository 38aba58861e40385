"""``python -m bench``: list the benchmarks and how to run each (they take minutes, so none runs
by default)."""

from __future__ import annotations

import ast
from pathlib import Path


def main() -> None:
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        if path.name.startswith("_"):
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first = doc.strip().splitlines()[0] if doc.strip() else ""
        print(f"python -m bench.{path.stem:<20} {first}")
    print("\nResults, with date and machine: docs/BENCHMARKS.md")


if __name__ == "__main__":
    main()
