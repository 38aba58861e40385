"""Analytics results cached by the store's version: the analysis reruns only after the graph changed.

The cache itself is :mod:`graph.cache`, shared with matchmaking's index, so one policy (one build
per key, pinned results, carry-forward) holds for everything derived from the graph; this module
names the part of it the analyses use.
"""

from __future__ import annotations

from graph.cache import MAX_ENTRIES, cached, carry_forward, clear, is_cached

__all__ = ["MAX_ENTRIES", "cached", "carry_forward", "clear", "is_cached"]
