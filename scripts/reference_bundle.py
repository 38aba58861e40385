#!/usr/bin/env python3
"""Copy the reference lists the product needs into ``build/reference`` for the Docker image.

``python3 scripts/reference_bundle.py [--from DIR]`` (``make reference-bundle``). The source is
``--from``, else ``$INNOGRAPH_SHARED_DATA``, else ``../shared/data``. Only the folders in
:data:`FOLDERS` are copied — openly licensed reference lists (MIT, WTFPL, CC0, a national
standard's code list), each with its PROVENANCE.md — never the ``real-*`` exports or patent
samples, whose licences allow tests only. ``build/`` is outside git; the image copies it.
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "reference"
#: What ``ingest.reference`` reads, with the licence that lets the image carry it.
FOLDERS = {
    "cn-admin-divisions-2023": "WTFPL",
    "cn-universities-moe-2025": "MIT",
    "gbt4754-2017": "national standard code list (no licence stated)",
    "sei-ipc-2021": "MIT",
}


def source_dir(given: str | None) -> Path:
    return Path(given or os.environ.get("INNOGRAPH_SHARED_DATA") or ROOT.parent / "shared" / "data")


def bundle(source: Path, out: Path = OUT) -> list[Path]:
    missing = [name for name in FOLDERS if not (source / name).is_dir()]
    if missing:
        raise FileNotFoundError(f"{source}: reference folders missing: {', '.join(missing)}")
    shutil.rmtree(out, ignore_errors=True)
    copied = []
    for name in FOLDERS:
        shutil.copytree(source / name, out / name)
        copied.append(out / name)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--from", dest="source", default=None, help="the shared data folder")
    args = parser.parse_args(argv)
    source = source_dir(args.source)
    try:
        copied = bundle(source)
    except FileNotFoundError as e:
        print(f"reference-bundle: {e} (set INNOGRAPH_SHARED_DATA or --from)", file=sys.stderr)
        return 1
    for path in copied:
        print(f"reference-bundle: {path.relative_to(ROOT)} ({FOLDERS[path.name]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
