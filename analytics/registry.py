"""Name → function tables filled by a decorator: community methods and plan indicators are chosen
by a string from the plan file or the command line, so callers never branch on the name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F")


def registrar(table: dict[str, F]) -> Callable[[str], Callable[[F], F]]:
    """A decorator factory that files each decorated function in ``table`` under its name.

    >>> TABLE: dict[str, Callable[[int], int]] = {}
    >>> named = registrar(TABLE)
    >>> @named("double")
    ... def double(x: int) -> int:
    ...     return 2 * x
    >>> TABLE["double"](21)
    42
    """

    def register(name: str) -> Callable[[F], F]:
        def decorate(fn: F) -> F:
            table[name] = fn
            return fn

        return decorate

    return register
