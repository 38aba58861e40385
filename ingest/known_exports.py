"""Known exports need no spec: PatSnap, incoPat, CNIPA-style and Lens patent exports, enterprise
registry exports and the MoE university list are recognised by their headers.

Each known export has a spec template in ``ingest/templates/`` (package data, read through
``importlib.resources`` so it works from an installed wheel). A template is an ordinary spec
without ``[source].file`` plus a ``[detect]`` table: the headers that must all be present for
the template to apply. When several apply, the one whose columns match most headers wins, so a
generic template never shadows a specific one.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ingest.errors import IngestError, SpecError
from ingest.readers import read_headers
from ingest.spec import SourceSpec, header_key, load_spec, parse_spec


@dataclass(frozen=True)
class Template:
    key: str  # the template file's stem, e.g. "patsnap"
    title: str  # what the export is, for people
    tested: bool  # tried on a real export (False: built from documented header names only)
    detect: tuple[str, ...]  # header keys that must all be present
    doc: dict[str, Any]  # the parsed TOML, without [source].file
    digest: str  # sha256 of the template's bytes (part of the run id)

    def column_headers(self) -> set[str]:
        """Header keys any of the template's columns would take."""
        return {header_key(h) for column in self.doc["columns"].values() for h in column.get("headers", [])}

    def spec_for(self, data_file: Path) -> SourceSpec:
        """The template as a spec for ``data_file``."""
        doc = {key: value for key, value in self.doc.items() if key != "detect"}
        doc["source"] = {**doc["source"], "file": str(data_file.resolve())}
        where = Path(f"<template {self.key}>")
        try:
            return parse_spec(doc, where, self.digest)
        except SpecError as e:  # a broken template is our bug; say which one
            raise SpecError(f"template {self.key}.toml: {e}", file=f"{self.key}.toml") from e


@lru_cache(maxsize=1)
def templates() -> tuple[Template, ...]:
    """Every shipped template, by key."""
    found: list[Template] = []
    for entry in sorted(resources.files("ingest.templates").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = entry.read_bytes()
        doc = tomllib.loads(data.decode("utf-8"))
        detect = doc.get("detect", {})
        found.append(
            Template(
                key=entry.name.removesuffix(".toml"),
                title=str(detect.get("name", entry.name)),
                tested=bool(detect.get("tested", False)),
                detect=tuple(header_key(h) for h in detect.get("headers", [])),
                doc=doc,
                digest=hashlib.sha256(data).hexdigest(),
            )
        )
    return tuple(found)


def recognise(headers: Sequence[str]) -> Template | None:
    """The template whose detect headers are all among ``headers`` (most columns matched wins)."""
    keys = {header_key(h) for h in headers if h}
    fitting = [t for t in templates() if t.detect and set(t.detect) <= keys]
    if not fitting:
        return None
    return max(fitting, key=lambda t: (len(t.column_headers() & keys), len(t.detect), t.key))


def spec_for_file(path: Path) -> SourceSpec:
    """The spec for a data file given without one: its known-export template, or an error that
    says how to get a spec."""
    headers = read_headers(path)
    template = recognise(headers)
    if template is None:
        shown = ", ".join(h for h in headers[:12] if h) + (" …" if len(headers) > 12 else "")
        raise IngestError(
            f"{path.name}: not a known export (PatSnap, incoPat, CNIPA, Lens, enterprise registry, "
            f"MoE list); headers: {shown}. Write a spec: `innograph spec guess {path.name}` drafts one",
            file=path.name,
        )
    return template.spec_for(path)


def resolve_inputs(paths: Sequence[Path]) -> list[SourceSpec]:
    """Spec files (``.toml``) are loaded; any other file is a data file matched to a template."""
    return [load_spec(p) if p.suffix.lower() == ".toml" else spec_for_file(p) for p in paths]


def template_for(spec: SourceSpec) -> Template | None:
    """The template a spec was made from (None for a spec file)."""
    name = spec.path.name
    if not name.startswith("<template "):
        return None
    key = name.removeprefix("<template ").removesuffix(">")
    return next((t for t in templates() if t.key == key), None)
