"""Domain exceptions. Every message names the field, entity or file it is about."""

from __future__ import annotations


class InnoGraphError(Exception):
    """Base class for InnoGraph's own errors."""


class ValidationError(InnoGraphError, ValueError):
    """A record does not fit the model: unknown label, missing key, wrong type, too large."""

    def __init__(self, message: str, *, field: str | None = None, entity: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.entity = entity


class StoreUnavailableError(InnoGraphError):
    """The store cannot be reached (Neo4j down, embedded file unreadable)."""


class SchemaMissingError(InnoGraphError):
    """The store is reachable but its constraints and indexes are not in place."""


class StoreCorruptError(InnoGraphError):
    """The embedded store's file is truncated or corrupted."""


class NotFoundError(InnoGraphError, KeyError):
    """An entity id that is not in the graph."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class TransactionTooLargeError(InnoGraphError):
    """A change set needs more transaction memory than the Neo4j server allows."""
