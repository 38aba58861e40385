"""The one IPC vocabulary: how a code is written in the graph and how its levels are named.

Ingest mints ``ipc:<code>`` nodes with these spellings, and matchmaking, analytics, person
linking and the API look codes up with the same functions, so a code written ``H01L 33/020``
in one file and ``H01L0033020000`` in another is one node, ``ipc:H01L33/02``, whose main group
is ``ipc:H01L33/00`` and subclass ``ipc:H01L``. (Before this module the rules lived in four
places and disagreed: the API looked up ``ipc:H01L33``, which ingest never mints.)

Canonical form: section, class, subclass, the main group without leading zeros, ``/``, the
subgroup read as a decimal fraction (trailing zeros dropped, two digits always written):
``H01L33/02``, ``H01L33/012``, main group ``H01L33/00``. A bare subclass (``B64C``) stays.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from graph.errors import IpcError as IpcError

_FULL: Final = re.compile(r"^([A-H])(\d{2})([A-Z])(\d{1,4})/(\d{1,6})$")
_PADDED: Final = re.compile(r"^([A-H])(\d{2})([A-Z])(\d{4})(\d{6})$")  # H01L0033012000 (EPO/Lens)
_SUBCLASS: Final = re.compile(r"^[A-H]\d{2}[A-Z]$")
_VERSION: Final = re.compile(r"\(\d{4}\.\d{2}\)$")  # "H01L 33/00 (2010.01)"
#: Lenient reading: the longest code-like prefix ("H01L33/48;H01L33/50" → "H01L33/48").
_PREFIX: Final = re.compile(r"^([A-H])(\d{2})([A-Z])(?:(\d{1,4})(?:/(\d{1,6}))?)?")

SECTION: Final = "section"
CLASS: Final = "class"
SUBCLASS: Final = "subclass"
GROUP: Final = "group"
SUBGROUP: Final = "subgroup"


def _clean(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().upper()
    return _VERSION.sub("", text).replace(" ", "").replace("\u3000", "")


def _canonical(section: str, klass: str, sub: str, group: str, subgroup: str) -> str:
    main = str(int(group))
    if main == "0":
        raise IpcError("main group 0 does not exist")
    # Subgroup digits read like a decimal fraction (the 14-character form pads them on the
    # right: 33/012 → 0033012000), so 33/020 is 33/02; two digits are always written.
    return f"{section}{klass}{sub}{main}/{subgroup.rstrip('0').ljust(2, '0')}"


def parse_ipc(value: object) -> str:
    """Strict: ``H01L 33/00``, ``H01L33/00``, ``H01L0033000000`` → ``H01L33/00``; junk raises
    :class:`IpcError`. A bare subclass (``B64C``) stays a subclass."""
    text = _clean(value)
    match = _FULL.match(text) or _PADDED.match(text)
    if match is None:
        if _SUBCLASS.match(text):
            return text
        raise IpcError(f"not an IPC code: {str(value).strip()!r} (expected e.g. H01L33/00)")
    try:
        return _canonical(*match.groups())
    except IpcError as exc:
        raise IpcError(f"not an IPC code: {str(value).strip()!r} ({exc})") from None


def normalize_ipc(value: object) -> str | None:
    """Lenient, for free text and other people's lists: the canonical code of the longest
    code-like prefix (``"H01L 33"`` → ``H01L33/00``, ``"B64C 39/020; G05D"`` → ``B64C39/02``),
    or None when there is none."""
    text = _clean(value)
    try:
        return parse_ipc(text)
    except IpcError:
        pass
    match = _PREFIX.match(text)
    if match is None:
        return None
    section, klass, sub, group, subgroup = match.groups()
    if group is None:
        return f"{section}{klass}{sub}"
    try:
        return _canonical(section, klass, sub, group, subgroup or "00")
    except IpcError:
        return f"{section}{klass}{sub}"


def subclass(code: str) -> str:
    """``H01L33/48`` → ``H01L`` (what "the same technology field" means in the graph)."""
    return code[:4]


def main_group(code: str) -> str | None:
    """``H01L33/48`` → ``H01L33/00``; a bare subclass has none."""
    head = code.split("/", 1)[0]
    return f"{head}/00" if len(head) > 4 else None


def level(code: str) -> str:
    if len(code) == 1:
        return SECTION
    if len(code) == 3:
        return CLASS
    if len(code) == 4:
        return SUBCLASS
    return GROUP if code.endswith("/00") else SUBGROUP


def hierarchy(code: str) -> list[tuple[str, str]]:
    """``H01L33/02`` → ``[(H, section), (H01, class), (H01L, subclass), (H01L33/00, group),
    (H01L33/02, subgroup)]``: from the top down to the code itself."""
    chain = [code[:1], code[:3], code[:4]]
    group = main_group(code)
    if group is not None:
        chain.append(group)
        if group != code:
            chain.append(code)
    return [(c, level(c)) for c in chain]


def node_id(code: str) -> str:
    """The graph id of an IPC node: ``ipc:H01L33/00``."""
    return f"ipc:{code}"


def lookup_ids(code: str) -> list[str]:
    """The node ids a canonical code links to when a demand or patent names it: the code, its
    main group and its subclass (the nodes ingest always mints for a listed code)."""
    ids = [node_id(code)]
    for up in (main_group(code), subclass(code)):
        if up is not None and node_id(up) not in ids:
            ids.append(node_id(up))
    return ids
