"""Errors of the analytics package; each names the file, field or option at fault.

Defined with every other error in :mod:`graph.errors` (one tree); named here for analytics code.
"""

from __future__ import annotations

from graph.errors import AnalyticsError, MissingDependencyError, PlanDataError

__all__ = ["AnalyticsError", "MissingDependencyError", "PlanDataError"]
