"""IPC codes: normalisation and the two levels matchmaking compares (subclass and main group)."""

from __future__ import annotations

import re
from typing import Final

# "H01L 33/48", "H01L33/48", "h01l0033/48" (Lens, CNIPA and EPO spellings) all mean H01L33/48.
_IPC: Final = re.compile(r"^\s*([A-HY])\s*(\d{2})\s*([A-Z])\s*(\d{1,4})?\s*(?:/\s*(\d{1,6}))?", re.IGNORECASE)


def normalize_ipc(code: str) -> str | None:
    """``"H01L 33/48"`` → ``"H01L33/48"``; a subclass stays a subclass (``"B64C"``); junk → None."""
    m = _IPC.match(code or "")
    if not m:
        return None
    section, klass, sub, group, subgroup = m.groups()
    out = f"{section.upper()}{klass}{sub.upper()}"
    if group:
        out += str(int(group))
        if subgroup:
            out += f"/{subgroup}"
    return out


def subclass(code: str) -> str:
    """``"H01L33/48"`` → ``"H01L"``."""
    return code[:4]


def main_group(code: str) -> str | None:
    """``"H01L33/48"`` → ``"H01L33"``; a bare subclass has none."""
    head = code.split("/", 1)[0]
    return head if len(head) > 4 else None


def levels(code: str) -> tuple[str, str | None]:
    return subclass(code), main_group(code)
