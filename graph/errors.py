"""Every InnoGraph error, in one tree. Every message names the field, entity or file it is about.

``except InnoGraphError`` catches all of them and nothing else; each also derives from the
built-in a caller would naturally catch (``ValueError`` for bad values, ``KeyError`` for an
unknown id, ``ImportError`` for a missing optional library). Re-raise with ``from e``::

    InnoGraphError
    ├── ValidationError (ValueError)         a record that does not fit the model
    ├── NotFoundError (KeyError)             an unknown entity id
    ├── StoreUnavailableError                the store cannot be reached
    │   └── StoreWriteError                  a write that could not be made durable
    ├── StoreFullError                       no room to fold the journal
    ├── StoreCorruptError                    a damaged embedded store file
    │   └── RestoreWouldLoseError            (graph/embedded_files.py: it reads a RestoreReport)
    ├── SchemaMissingError, TransactionTooLargeError, BackupError
    ├── RegionCodeError, IpcError (ValueError)   not a division code / not an IPC code
    ├── IngestError                          a file or spec that cannot be ingested at all
    │   └── SpecError
    ├── ValueRejected (ValueError)           one cell: the row is quarantined
    │   └── ValueUnplaced                    an address with no division: loaded, with a warning
    ├── ReferenceDataError                   a reference file missing or malformed
    ├── AnalyticsError
    │   ├── MissingDependencyError (ImportError)
    │   └── PlanDataError (ValueError)
    ├── ConfigError (ValueError)             settings that cannot work
    ├── InvariantError (RuntimeError)        a broken internal guarantee: a bug, never bad input
    ├── KeyFileError (RuntimeError)          an unreadable API key file
    ├── UnusableSavedFileError (ValueError)  a saved index or analysis not to load: computed again
    │   └── UnusableIndexFileError
    └── NotSavedError (LookupError)          a result only to be loaded, and not saved

The modules that raise them re-export their own (``ingest.errors``, ``analytics.errors``,
``graph.embedded_files``, ``graph.backup``, ``api.security``), so either import works.
"""

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


class StoreWriteError(StoreUnavailableError):
    """A write could not be made durable (disk full, I/O error); its message says whether it
    was committed. The API answers it with 503."""


class StoreFullError(InnoGraphError):
    """Not enough free space to fold the journal into a snapshot; names the size needed."""


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


class BackupError(InnoGraphError):
    """An export directory that is missing, incomplete, damaged or not ours."""


class RegionCodeError(InnoGraphError, ValueError):
    """Not an administrative division code (the message says what is expected)."""


class IpcError(InnoGraphError, ValueError):
    """A value that is not an IPC code; the message says what was expected."""


class IngestError(InnoGraphError):
    """A file or spec cannot be ingested at all. The message names the file and the problem;
    nothing has been written when it is raised."""

    def __init__(self, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.file = file


class SpecError(IngestError):
    """A spec file is malformed: unknown key, label, type, or a field nothing uses."""


class ValueRejected(InnoGraphError, ValueError):
    """One cell's value cannot be normalised; the row is quarantined with this reason."""


class ValueUnplaced(ValueRejected):
    """An address no administrative division can be found for. Not a reason to lose the row: the
    row loads with the region unknown and the reconciliation report carries a warning."""


class ReferenceDataError(InnoGraphError):
    """A reference file is missing or not in the expected shape (the message names it)."""


class AnalyticsError(InnoGraphError):
    """Base class for analytics errors."""


class MissingDependencyError(AnalyticsError, ImportError):
    """An optional library a chosen method needs is not installed."""


class PlanDataError(AnalyticsError, ValueError):
    """The plan's targets file is missing a field or has a wrong value."""


class ConfigError(InnoGraphError, ValueError):
    """The environment asks for something that cannot work (unknown store, Neo4j without a URI)."""


class InvariantError(InnoGraphError, RuntimeError):
    """Something the code itself guarantees does not hold: a bug in InnoGraph, never bad input.
    Raised where an ``assert`` would have been (asserts vanish under ``python -O``)."""


class KeyFileError(InnoGraphError, RuntimeError):
    """The key file exists but cannot be read: refuse every key rather than guess."""


class UnusableSavedFileError(InnoGraphError, ValueError):
    """A saved derived result (``graph.saved_files``) that must not or cannot be loaded (foreign,
    of another layout or code, damaged): it is computed again rather than trusted."""


class NotSavedError(InnoGraphError, LookupError):
    """A derived result neither cached nor saved, asked for where it must only be loaded
    (``graph.cache.saved_only``: the API's warm-up with ``INNOGRAPH_ANALYSES=job``): a miss, not a
    failure — the caller moves on and a request computes it later."""


class UnusableIndexFileError(UnusableSavedFileError):
    """A saved match index that must not or cannot be loaded (foreign, of another layout,
    damaged): ``match.disk_cache`` rebuilds it rather than trust it."""
