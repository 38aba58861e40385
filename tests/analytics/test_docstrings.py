"""The runnable examples in the analytics docstrings stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "analytics.clusters",
    "analytics.communities",
    "analytics.firm_network",
    "analytics.industries",
    "analytics.metrics",
    "analytics.monitor",
    "analytics.plan",
    "analytics.registry",
    "analytics.roles",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no docstring example"
    assert result.failed == 0
