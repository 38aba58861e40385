"""IPC codes for matchmaking: the graph's one vocabulary (:mod:`graph.ipc`) and the two levels
matchmaking compares (subclass and main group)."""

from __future__ import annotations

from graph.ipc import main_group, normalize_ipc, subclass

__all__ = ["levels", "main_group", "normalize_ipc", "subclass"]


def levels(code: str) -> tuple[str, str | None]:
    """``H01L33/48`` → ``("H01L", "H01L33/00")``; a bare subclass has no main group.

    >>> levels("H01L33/48")
    ('H01L', 'H01L33/00')
    >>> levels("H01L")
    ('H01L', None)
    """
    return subclass(code), main_group(code)
