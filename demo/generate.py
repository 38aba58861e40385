"""``generate(out, scale=, seed=)``: raw files, ground truth and ingest specs in one folder.

Layout (see ``docs/DEMO_DATA.md``)::

    out/raw/…            the exports, as a district office receives them
    out/truth/…          entities, mentions (which cell is which entity), partnerships, expected counts
    out/specs/*.toml     ingest specs for the raw files (copied from the package data in specs/)
    out/manifest.json    scale, seed, and the SHA-256 of every file written
"""

from __future__ import annotations

import gc
import hashlib
import json
import shutil
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from demo import catalog as cat
from demo.world import BANDS, INDUSTRY_BY_KEY, World, build_world
from demo.writers import Output, RawWriter, mention_dicts
from demo.yearly import expected_by_year, incubator_lists

#: The demo's ingest specs, package data (``specs/*.toml`` next to this module).
SPECS_PACKAGE = "demo.specs"
LITTLE_GIANT_WAN = 10_000  # revenue ≥ 1亿元 = 10,000 万元


@dataclass(frozen=True)
class GenerationResult:
    out: Path
    scale: int
    seed: int
    files: dict[str, str]  # relative path -> sha256
    expected: dict[str, Any]

    @property
    def spec_paths(self) -> list[Path]:
        return sorted((self.out / "specs").glob("*.toml"))


def generate(out: Path, *, scale: int = 1, seed: int = 20101231) -> GenerationResult:
    """Write the demo data set for ``scale`` and ``seed`` into ``out`` (replacing what is there)."""
    # Millions of small long-lived objects at ×100 make the cyclic GC rescan the heap again and
    # again; the generator builds no reference cycles worth collecting, so pause it meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(out, scale, seed)
    finally:
        if was_enabled:
            gc.enable()


def _generate(out: Path, scale: int, seed: int) -> GenerationResult:
    world = build_world(scale, seed)
    for sub in ("raw", "truth", "specs"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    output = RawWriter(world, out).write_all()
    expected = expected_counts(world, output)
    expected["yearly"] = expected_by_year(output.members)
    # Firms founded after 2010 enter the graph through a later list, not the 2010 registry.
    expected["enterprisesInGraph"] = expected["enterprises"] + sum(
        1 for m in output.members if m.org.id not in world.orgs
    )
    for year, rows in incubator_lists(world).items():
        expected["yearly"][str(year)]["incubators"] = len(rows)
        expected["yearly"][str(year)]["incubatorsCityLevel"] = sum(
            1 for r in rows if r[3] in ("市级", "国家级")
        )
    _write_truth(world, output, expected, out / "truth")
    _copy_specs(out / "specs")
    files = {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }
    manifest = {"scale": scale, "seed": seed, "files": files}
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return GenerationResult(out, scale, seed, files, expected)


def expected_counts(world: World, output: Output) -> dict[str, Any]:
    """The calibration the graph must show after ingest, computed from the world itself."""
    smes = world.tech_smes
    bands = Counter(o.band for o in smes)
    valid = [p for p in world.patents if p.status == "有效"]
    by_kind = Counter(o.label for o in world.orgs.values())
    parks = [o for o in smes if o.park]
    return {
        "scale": world.scale,
        "seed": world.seed,
        "techSmes": len(smes),
        "revenueBands": {band: bands[band] for band, _, _, _ in BANDS},
        "littleGiants": sum(1 for o in smes if o.revenue_wan >= LITTLE_GIANT_WAN),
        "strategicFirms": sum(1 for o in smes if INDUSTRY_BY_KEY[o.industry].strategic),
        "strategicByIndustry": dict(
            sorted(
                Counter(
                    INDUSTRY_BY_KEY[o.industry].name for o in smes if INDUSTRY_BY_KEY[o.industry].strategic
                ).items()
            )
        ),
        "revenueTotalYuan": round(sum(o.revenue_wan for o in smes) * 10_000),
        "employees": sum(o.employees for o in smes),
        "firmsInParks": len(parks),
        "parkShare": round(len(parks) / len(smes), 4),
        "enterprises": by_kind["Enterprise"],
        "validPatents": len(valid),
        "inventionPatents": sum(1 for p in valid if p.kind == "发明"),
        "lapsedPatents": len(world.patents) - len(valid),
        "coappliedPatents": sum(1 for p in world.patents if len(p.applicants) > 1),
        "consortia": sum(1 for a in world.alliances if a.kind == "产学研联合体"),
        "strategicAlliances": sum(1 for a in world.alliances if a.kind == "产业技术创新战略联盟"),
        "productivityCenters": by_kind["ProductivityCenter"],
        "incubators": by_kind["Incubator"],
        "nationalBases": sum(1 for p in world.parks if p.kind == "产业化基地" and p.level == "国家级"),
        "parks": len(world.parks),
        "universities": by_kind["University"],
        "researchInstitutes": by_kind["ResearchInstitute"],
        "projectApplications": len(world.projects),
        "fundedProjects": sum(1 for p in world.projects if p.funded),
        "techTransfers": len(world.transfers),
        "techDemands": len(world.demands),
        "achievements": len(world.achievements),
        "persons": len(world.persons),
        "files": {
            f.file: {
                "source": f.source,
                "format": f.format,
                "encoding": f.encoding or "n/a",
                "rows": f.rows,
                "quarantined": f.quarantined,
                "duplicates": f.duplicates,
            }
            for f in output.files
        },
    }


def _jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records), encoding="utf-8"
    )


def _write_truth(world: World, output: Output, expected: dict[str, Any], truth: Path) -> None:
    truth.mkdir(parents=True, exist_ok=True)
    aliases: dict[str, set[str]] = {}
    for m in output.mentions:
        aliases.setdefault(m.entity, set()).add(m.text)
    entities: list[dict[str, Any]] = []
    for org in world.orgs.values():
        record: dict[str, Any] = {
            "id": org.id,
            "label": org.label,
            "name": org.name,
            "aliases": sorted(aliases.get(org.id, set()) - {org.name}),
        }
        if org.credit_code:
            record["creditCode"] = org.credit_code
        if org.label == "Enterprise":
            ind = INDUSTRY_BY_KEY[org.industry]
            record.update(
                techSme=org.tech_sme,
                industry=ind.name,
                strategic=ind.strategic and org.tech_sme,
                street=org.street,
                park=org.park,
                alliances=sorted(org.alliances),
            )
            if org.tech_sme:
                record.update(band=org.band, revenueWan=org.revenue_wan)
        else:
            record.update(
                nameEn=org.name_en, short=list(org.short), district=org.district, strengths=org.strengths
            )
        entities.append(record)
    for key, person in world.persons.items():
        entities.append(
            {
                "id": f"person:{key}",
                "label": "Person",
                "name": person.name,
                "affiliation": person.org,
                "roles": sorted(person.roles),
                "industry": INDUSTRY_BY_KEY[person.industry].name,
                "gender": person.gender,
                "birthYear": person.birth_year,
            }
        )
    for a in world.alliances:
        entities.append(
            {
                "id": a.id,
                "label": "Alliance",
                "name": a.name,
                "kind": a.kind,
                "level": a.level,
                "members": [m for m, _, _ in a.members],
            }
        )
    for p in world.parks:
        entities.append(
            {
                "id": f"park:{p.name}",
                "label": "Park",
                "name": p.name,
                "kind": p.kind,
                "level": p.level,
                "street": p.street,
            }
        )
    _jsonl(truth / "entities.jsonl", entities)
    _jsonl(truth / "mentions.jsonl", mention_dicts(output.mentions))
    partnerships = [
        {
            "firm": firm.id,
            "partner": partner,
            "since": year,
            "sharedAlliance": bool(set(firm.alliances) & set(world.orgs[partner].alliances)),
            "sameDistrict": world.orgs[partner].district == cat.DONGLI_CODE,
        }
        for firm in world.tech_smes
        for partner, year in sorted(firm.partners.items())
    ]
    _jsonl(truth / "partnerships.jsonl", partnerships)
    _jsonl(truth / "bad_rows.jsonl", [b for f in output.files for b in f.bad_rows])
    (truth / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def _copy_specs(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for spec in sorted(resources.files(SPECS_PACKAGE).iterdir(), key=lambda e: e.name):
        if spec.name.endswith(".toml"):
            (target / spec.name).write_bytes(spec.read_bytes())
