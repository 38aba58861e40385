"""Cell-level normalisation: text, numbers, dates, money, credit codes, IPC codes, regions.

Every function takes the raw cell and returns the stored value, or raises
:class:`ingest.errors.ValueRejected` with a reason a person can act on; the pipeline turns that
into a quarantine entry naming the file, row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from graph import ipc
from graph.regions import is_region_code, normalize_code
from ingest.errors import ValueRejected, ValueUnplaced

#: Cell contents that mean "no value" in the spreadsheets districts actually keep.
EMPTY_MARKERS: Final = frozenset({"", "-", "--", "—", "——", "/", "n/a", "na", "null", "none", "nan", "无"})

_SPACES = re.compile(r"\s+")


def clean_text(value: Any) -> str:
    """NFKC (full-width → half-width, ``（`` → ``(``), trimmed, inner whitespace collapsed."""
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


def clean_long_text(value: Any) -> str:
    """Like :func:`clean_text` but keeps line breaks (abstracts, descriptions)."""
    text = unicodedata.normalize("NFKC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN from spreadsheets
        return True
    return isinstance(value, str) and clean_text(value).casefold() in EMPTY_MARKERS


# --- numbers -----------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _number_text(value: Any) -> str:
    return clean_text(value).replace(",", "").replace(" ", "")


def parse_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueRejected(f"not a number: {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = _number_text(value)
    if not _NUMBER.match(text):
        raise ValueRejected(f"not a number: {clean_text(value)!r}")
    return float(text)


def parse_int(value: Any) -> int:
    number = parse_float(value)
    if number != int(number):
        raise ValueRejected(f"not a whole number: {clean_text(value)!r}")
    return int(number)


_TRUE: Final = frozenset({"是", "y", "yes", "true", "t", "1", "√", "✓", "有"})
_FALSE: Final = frozenset({"否", "n", "no", "false", "f", "0", "×", "✗", "x"})


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueRejected(f"not a yes/no value: {clean_text(value)!r} (use 是/否, Y/N, true/false, 1/0)")


# --- dates -------------------------------------------------------------------------------

_DATE_PATTERNS: Final = (
    re.compile(
        r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
    ),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月?$"),
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年?$"),
)


def parse_date(value: Any) -> str:
    """ISO ``YYYY-MM-DD``; ``YYYY-MM`` or ``YYYY`` when the source gives only that."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1800 <= value <= 2200:
        return f"{value:04d}"
    text = clean_text(value).replace(" ", " ")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        year = int(parts["y"])
        if not 1800 <= year <= 2200:
            break
        if parts.get("d"):
            try:
                return dt.date(year, int(parts["m"]), int(parts["d"])).isoformat()
            except ValueError:
                raise ValueRejected(f"not a calendar date: {text!r}") from None
        if parts.get("m"):
            month = int(parts["m"])
            if not 1 <= month <= 12:
                raise ValueRejected(f"not a calendar month: {text!r}")
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"
    raise ValueRejected(f"not a date: {text!r} (expected e.g. 2021-03-05, 2021/3/5, 2021年3月5日)")


def parse_year(value: Any) -> int:
    return int(parse_date(value)[:4])


# --- money -------------------------------------------------------------------------------

#: Multipliers to yuan. Longest suffix first so 万元 wins over 元.
MONEY_UNITS: Final[dict[str, float]] = {
    "亿元": 1e8,
    "亿": 1e8,
    "万元": 1e4,
    "万": 1e4,
    "千元": 1e3,
    "元": 1.0,
    "yuan": 1.0,
    "rmb": 1.0,
    "cny": 1.0,
}
_UNIT_IN_HEADER = re.compile(r"(亿元|万元|千元|元)")


def unit_from_header(header: str) -> str | None:
    """``营业收入(万元)`` → ``万元``; None when the header names no unit."""
    match = _UNIT_IN_HEADER.search(clean_text(header))
    return match.group(1) if match else None


def parse_money(value: Any, default_unit: str = "元") -> float:
    """Yuan as float. The cell's own unit beats ``default_unit`` (from header or spec)."""
    if default_unit not in MONEY_UNITS:
        raise ValueRejected(f"unknown money unit {default_unit!r}; use 元, 万元 or 亿元")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) * MONEY_UNITS[default_unit]
    text = clean_text(value).replace(",", "").replace(" ", "").lstrip("¥$").casefold()
    unit = default_unit
    for suffix in MONEY_UNITS:
        if text.endswith(suffix):
            unit, text = suffix, text[: -len(suffix)]
            break
    text = text.lstrip("¥")
    if not _NUMBER.match(text):
        raise ValueRejected(f"not an amount of money: {clean_text(value)!r}")
    return float(text) * MONEY_UNITS[unit]


# --- unified social credit code (GB 32100-2015) -----------------------------------------

CREDIT_CODE_CHARS: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character of a credit code whose first 17 characters are given."""
    if len(first17) != 17:
        raise ValueRejected(f"credit code body must be 17 characters, got {len(first17)}")
    total = 0
    for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True):
        position = CREDIT_CODE_CHARS.find(char)
        if position < 0:
            raise ValueRejected(f"{char!r} is not allowed in a credit code (no I, O, S, V, Z)")
        total += position * weight
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def parse_credit_code(value: Any) -> str:
    """Upper-case 18-character code whose check character is right, or :class:`ValueRejected`."""
    code = clean_text(value).replace(" ", "").replace("-", "").upper()
    if len(code) != 18:
        raise ValueRejected(f"credit code {code!r} has {len(code)} characters; 统一社会信用代码 has 18")
    if not code[2:8].isdigit():
        raise ValueRejected(f"credit code {code!r}: characters 3-8 must be a division code (digits)")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValueRejected(
            f"credit code {code!r}: check character is {code[17]!r}, GB 32100-2015 gives {expected!r}"
        )
    return code


# --- IPC -----------------------------------------------------------------------------------
# The rules live in graph/ipc.py (one vocabulary for ingest, matchmaking, analytics and the API);
# here they only turn its error into a quarantine reason.


def parse_ipc(value: Any) -> str:
    """``H01L 33/00``, ``H01L33/00``, ``H01L0033000000`` → ``H01L33/00``; a bare subclass stays."""
    try:
        return ipc.parse_ipc(clean_text(value))
    except ipc.IpcError as exc:
        raise ValueRejected(str(exc)) from None


ipc_subclass = ipc.subclass
ipc_level = ipc.level
ipc_hierarchy = ipc.hierarchy


# --- regions -------------------------------------------------------------------------------

_DIVISION_CODE = re.compile(r"^\d{6}(\d{6})?$")


@lru_cache(maxsize=8192)
def _address_to_division(address: str) -> str | None:
    import cpca  # imported here: it loads its division table (~0.3 s) on first use

    frame = cpca.transform([address])
    code = frame.loc[0, "adcode"]
    return str(code)[:6] if isinstance(code, str) and code[:6].isdigit() else None


#: What may follow a bare district name at the start of an address for it to name the place:
#: 西青经济开发区, 北辰科技园区, 武清开发区 — a zone of the district. Not 路/街/道: 解放路 is a
#: street in every city, not 焦作's 解放区.
_ZONE_WORDS: Final = ("经济", "开发区", "科技园", "工业园", "工业区", "高新", "商城", "私营", "产业园")


@lru_cache(maxsize=1)
def _district_names() -> dict[str, str | None]:
    """District full and short names → code, from cpca's division table (the NBS names); None
    where the name is not one district's in the whole country (朝阳, 鼓楼) or also names a
    province or city (河北区 is Tianjin's, 河北 the province)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("cpca is not installed: pip install cpca (it ships the division table)")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    found: dict[str, set[str]] = {}
    taken: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name, code = row["name"], row["adcode"][:6]
            if code.endswith("00"):  # a province or a city
                taken |= {name, re.sub(r"(省|市|自治区|特别行政区|地区|盟)$", "", name)}
                continue
            found.setdefault(name, set()).add(code)
            short = re.sub(r"(区|县|市|旗)$", "", name)
            if len(short) >= 2:
                found.setdefault(short, set()).add(code)
    return {n: (min(c) if len(c) == 1 and n not in taken else None) for n, c in found.items()}


def place_zone(address: str) -> str | None:
    """The district of an address that starts with a district's name and a zone word
    (``西青经济开发区…`` → 120111), when that name is one district's in the whole country."""
    names = _district_names()
    for size in range(min(len(address), 8), 1, -1):
        head, rest = address[:size], address[size:]
        code = names.get(head)
        if code is not None and rest.startswith(_ZONE_WORDS):
            return code
    return None


def parse_region(value: Any) -> str:
    """A 6-digit administrative division code from a code (2, 4, 6, 9 or 12 digits) or an address.

    An address that cannot be placed raises :class:`ValueUnplaced`, which the pipeline turns
    into a warning (region unknown), not a quarantine.
    """
    text = clean_text(value).replace(" ", "")
    if _DIVISION_CODE.match(text):
        return text[:6]
    if is_region_code(text):  # 12 (天津市), 1201, a 9-digit street: the 6-digit code of the hierarchy
        return normalize_code(text)[:6]
    code = _address_to_division(text) or place_zone(text)
    if code is None:
        raise ValueUnplaced(f"cannot place address {text!r} in an administrative division")
    return code
