"""Ingest errors: a file-level problem stops the run; a row-level one quarantines the row."""

from __future__ import annotations

from graph.errors import InnoGraphError


class IngestError(InnoGraphError):
    """A file or spec cannot be ingested at all. The message names the file and the problem;
    nothing has been written when it is raised."""

    def __init__(self, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.file = file


class SpecError(IngestError):
    """A spec file is malformed: unknown key, label, type, or a field nothing uses."""


class ValueRejected(ValueError):
    """One cell's value cannot be normalised; the row is quarantined with this reason."""


class ValueUnplaced(ValueRejected):
    """An address no administrative division can be found for. Not a reason to lose the row: the
    row loads with the region unknown and the reconciliation report carries a warning."""
