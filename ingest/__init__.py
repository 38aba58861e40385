"""Ingestion: declarative source specs → readers → normalisation → linking → one atomic apply.

See ``docs/INGESTION.md``. The entry point is :func:`ingest.pipeline.ingest_specs`.
"""
