"""Ingest errors: a file-level problem stops the run; a row-level one quarantines the row.

Defined with every other error in :mod:`graph.errors` (one tree); named here for ingest code.
"""

from __future__ import annotations

from graph.errors import IngestError, SpecError, ValueRejected, ValueUnplaced

__all__ = ["IngestError", "SpecError", "ValueRejected", "ValueUnplaced"]
