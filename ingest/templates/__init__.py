"""Spec templates for known exports (PatSnap, incoPat, CNIPA, Lens, registry, MoE list), shipped
as package data and loaded by :mod:`ingest.known_exports` through ``importlib.resources``."""
