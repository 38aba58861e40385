"""Errors of the analytics package; each names the file, field or option at fault."""

from __future__ import annotations

from graph.errors import InnoGraphError


class AnalyticsError(InnoGraphError):
    """Base class for analytics errors."""


class MissingDependencyError(AnalyticsError, ImportError):
    """An optional library a chosen method needs is not installed."""


class PlanDataError(AnalyticsError, ValueError):
    """The plan's targets file is missing a field or has a wrong value."""
