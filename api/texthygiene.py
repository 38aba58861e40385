"""Hygiene of text people post (demand titles, descriptions, keywords).

Invisible characters can make a title read differently from what it is: bidi overrides
(``\\u202e`` turns "gnp.exe" into what looks like "exe.png"), zero-width spaces that make two
titles look equal, NUL and other control characters that break logs and terminals. Posted text
is checked here:

* **Refused** (422 naming the field): NUL and other C0/C1 control characters (tab and line
  breaks are allowed in free text).
* **Stripped**: bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
  directional marks U+200E/U+200F/U+061C, and zero-width or invisible fillers (U+200B, U+2060,
  U+FEFF, U+180E, U+2061–U+2064). The zero-width joiner and non-joiner (U+200D, U+200C) are kept:
  emoji sequences and several scripts need them. CJK, emoji and every other visible character
  are kept as they are.

Names already in the graph (from ingested files) are not rewritten; the web page marks them
(see ``api/web/js/ui.js: suspicious``).
"""

from __future__ import annotations

import re

#: Removed from posted text.
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u2060\ufeff\u180e\u2061-\u2064]")
#: Refused in posted text (tab, LF and CR are allowed where ``multiline``).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without invisible formatting characters; ValueError when it holds controls."""
    pattern = _CONTROL if multiline else _CONTROL_ONE_LINE
    bad = pattern.search(value)
    if bad:
        raise ValueError(f"control character U+{ord(bad.group()):04X} is not allowed in text")
    return INVISIBLE.sub("", value)


def suspicious(value: str) -> bool:
    """Whether ``value`` holds characters :func:`clean_text` would strip or refuse."""
    return bool(INVISIBLE.search(value) or _CONTROL.search(value))
