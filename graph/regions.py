"""The region hierarchy: administrative division codes (GB/T 2260 / NBS 统计用区划代码) as one tree.

Codes are padded to six digits (``12`` → ``120000``, ``1201`` → ``120100``); streets keep nine.
The tree is province → city → district → street, read from ``cn-admin-divisions-2023`` (the same
files the reference loader turns into ``Region`` nodes), and derived from the code's structure
alone when those files are not there (a deployment without ``shared/data``): both give the same
parent for every code the data holds, because the NBS codes nest by prefix.

Why a module and not ``startswith``: the four municipalities (北京, 天津, 上海, 重庆) are a
province and a city at once. Universities carry the province code ``120000`` and firms a district
``1201xx``; a four-digit prefix comparison puts them in different cities, so Tianjin universities
were never local to Tianjin firms and ``--region 1201`` found none of them. Here a municipality's
city-level codes (``120100`` 市辖区, ``500200`` 县) belong to the same city as the municipality
itself: :func:`city_of` of ``120000``, ``120100`` and ``120110`` is ``120000``.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Final

from graph.errors import RegionCodeError as RegionCodeError

#: 北京, 天津, 上海, 重庆: province-level cities (直辖市).
MUNICIPALITIES: Final = frozenset({"110000", "120000", "310000", "500000"})
#: The two-digit province codes of GB/T 2260 (a code starting otherwise is not a region: 2023 is a year).
PROVINCES: Final = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42"}
    | {"43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}
)
_CODE: Final = re.compile(r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$")
FOLDER: Final = "cn-admin-divisions-2023"


def normalize_code(code: str) -> str:
    """``12`` → ``120000``, ``1201`` → ``120100``, ``120110`` stays, ``120110001`` (street) stays,
    a 12-digit village code → its 9-digit street.

    >>> [normalize_code(c) for c in ("12", "1201", "120110", "120110001000")]
    ['120000', '120100', '120110', '120110001']
    """
    text = str(code).strip()
    if not _CODE.match(text) or text[:2] not in PROVINCES:
        raise RegionCodeError(
            f"not a region code: {text!r} (2, 4, 6 or 9 digits, e.g. 12 天津市, 1201, 120110 东丽区)"
        )
    if len(text) == 12:
        text = text[:9]
    return text if len(text) == 9 else text.ljust(6, "0")


def level(code: str) -> str:
    """``province``, ``city``, ``district`` or ``street`` (by the code's structure)."""
    code = normalize_code(code)
    if len(code) == 9:
        return "street"
    if code[2:] == "0000":
        return "province"
    return "city" if code[4:] == "00" else "district"


def _structural_parent(code: str) -> str | None:
    if len(code) == 9:
        return code[:6]
    if code[2:] == "0000":
        return None
    if code[4:] == "00":
        return code[:2] + "0000"
    return code[:4] + "00"


@dataclass(frozen=True)
class RegionHierarchy:
    """Parent links between division codes; ``names`` when built from the data files."""

    parents: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_admin_divisions(cls, folder: Path) -> RegionHierarchy:
        """From ``provinces.csv``, ``cities.csv`` and ``areas.csv`` of ``cn-admin-divisions-2023``
        (streets follow their district by code, so the 41,000-row street file is not read)."""
        parents: dict[str, str] = {}
        names: dict[str, str] = {}
        for row in _rows(folder / "provinces.csv"):
            names[row["code"].ljust(6, "0")] = row["name"]
        for row in _rows(folder / "cities.csv"):
            code = row["code"].ljust(6, "0")
            names[code] = row["name"]
            parents[code] = row["provinceCode"].ljust(6, "0")
        for row in _rows(folder / "areas.csv"):
            code, city = row["code"], row["cityCode"].ljust(6, "0")
            if code != city:  # 东莞, 中山, 儋州 repeat themselves as their only "district"
                names[code] = row["name"]
                parents[code] = city
        return cls(parents, names)

    def parent(self, code: str) -> str | None:
        """The code one level up (None for a province)."""
        code = normalize_code(code)
        return self.parents.get(code) or _structural_parent(code)

    def ancestors(self, code: str) -> list[str]:
        """Every code above ``code``, nearest first: ``120110`` → ``['120100', '120000']``."""
        chain: list[str] = []
        current = self.parent(code)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent(current)
        return chain

    def city_of(self, code: str) -> str | None:
        """The city a code lies in: ``PPCC00`` below a province; a municipality is its own city
        (``120000`` for ``120000``, ``120100`` and ``120110``). None for a province that is not a
        municipality (天津 is a city; 河北省 is not)."""
        code = normalize_code(code)
        chain = [code, *self.ancestors(code)]
        if chain[-1] in MUNICIPALITIES:
            return chain[-1]
        return next((c for c in chain if level(c) == "city"), None)

    def contains(self, ancestor: str, code: str) -> bool:
        """Whether ``code`` lies in ``ancestor`` (a code contains itself).

        A municipality's city-level code stands for the whole municipality, so ``1201`` contains
        a university placed only at ``120000`` as well as every ``1201xx`` district.
        """
        outer, inner = normalize_code(ancestor), normalize_code(code)
        if outer == inner or outer in self.ancestors(inner):
            return True
        province = self.ancestors(outer)[-1:] or [outer]
        return level(outer) == "city" and province[0] in MUNICIPALITIES and inner == province[0]

    def same_city(self, a: str, b: str) -> bool:
        """Both codes lie in one city (a municipality counts as one city)."""
        city = self.city_of(a)
        return city is not None and city == self.city_of(b)

    def name(self, code: str) -> str | None:
        return self.names.get(normalize_code(code))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def shared_data_dir() -> Path:
    """``$INNOGRAPH_SHARED_DATA``, else ``<repo>/../shared/data`` (as ``ingest.reference``)."""
    env = os.environ.get("INNOGRAPH_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


@lru_cache(maxsize=1)
def hierarchy() -> RegionHierarchy:
    """The hierarchy from the admin-division files when present, else by code structure."""
    folder = shared_data_dir() / FOLDER
    if (folder / "areas.csv").exists():
        return RegionHierarchy.from_admin_divisions(folder)
    return RegionHierarchy()


def is_region_code(text: str) -> bool:
    text = str(text).strip()
    return bool(_CODE.match(text)) and text[:2] in PROVINCES


def contains(ancestor: str, code: str) -> bool:
    """:meth:`RegionHierarchy.contains` on the default hierarchy."""
    return hierarchy().contains(ancestor, code)


def ancestors(code: str) -> list[str]:
    return hierarchy().ancestors(code)


def city_of(code: str) -> str | None:
    return hierarchy().city_of(code)


def same_city(a: str, b: str) -> bool:
    return hierarchy().same_city(a, b)


def in_any(code: str, regions: list[str] | tuple[str, ...]) -> bool:
    """Whether ``code`` lies in one of ``regions``; False for a code that is not a region code."""
    if not is_region_code(code):
        return False
    return any(contains(r, code) for r in regions if is_region_code(r))
