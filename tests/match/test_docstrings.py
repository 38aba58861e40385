"""The runnable examples in the match docstrings stay true (as in tests/analytics)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["match.partners", "match.groups", "match.ipc"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no docstring example"
    assert result.failed == 0
