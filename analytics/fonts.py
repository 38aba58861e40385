"""A CJK-capable font for matplotlib, or a logged fallback to Latin-only labels.

Chinese labels drawn with a Latin font come out as empty boxes, silently. So the charts ask
:func:`cjk_font` first: it looks for an installed font with Chinese glyphs (WenQuanYi, Noto CJK,
Source Han, …; Debian's ``fonts-wqy-microhei`` is installed by ``make system-deps``) and, when
there is none, logs a warning and the charts switch to codes and English names.
"""

from __future__ import annotations

import functools
import logging

from matplotlib import font_manager, rcParams

log = logging.getLogger(__name__)

#: Families known to cover CJK, best first.
CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
)


@functools.cache
def cjk_font() -> str | None:
    """The family name of an installed CJK font (and make it matplotlib's default), or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
            rcParams["font.family"] = "sans-serif"
            rcParams["axes.unicode_minus"] = False
            return family
    log.warning(
        "no CJK font installed (looked for %s); chart labels fall back to codes and English names. "
        "Install one with `make system-deps` (Debian: fonts-wqy-microhei).",
        ", ".join(CJK_FAMILIES[:3]),
    )
    return None


def label(chinese: str, fallback: str) -> str:
    """``chinese`` when a CJK font is available, else ``fallback``."""
    return chinese if cjk_font() else fallback
