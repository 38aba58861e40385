"""Spec templates for known exports (PatSnap, incoPat, CNIPA, Lens, registry, MoE list), shipped
as package data and loaded by :mod:`ingest.templates_catalog` through ``importlib.resources``."""
