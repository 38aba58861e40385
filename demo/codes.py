"""Fictitious but well-formed identifiers: credit codes, patent and contract numbers.

Credit codes follow GB 32100-2015 (the 18th character is a correct check character, and the
embedded 9-character organisation code has a correct GB 11714 check digit) but their
organisation-code body always starts with ``FAKE`` — letters the code alphabet allows — so a
demo firm can never be confused with a registered one. Patent numbers use the made-up
office prefix ``CNDL``.
"""

from __future__ import annotations

from typing import Final

from ingest.normalize import CREDIT_CODE_CHARS, credit_code_check_char

FICTITIOUS_MARK: Final = "FAKE"
_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    """GB 11714 check digit of an 8-character organisation-code body."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def _base31(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 31)
        digits.append(CREDIT_CODE_CHARS[rest])
    if number:
        raise ValueError(f"serial too large for {width} base-31 digits")
    return "".join(reversed(digits))


def fictitious_credit_code(serial: int, *, division: str = "120110", category: str = "91") -> str:
    """The ``serial``-th fictitious code: ``91`` (enterprise) + division + ``FAKE####`` + checks.

    >>> fictitious_credit_code(0)[:12]
    '91120110FAKE'
    """
    body = FICTITIOUS_MARK + _base31(serial, 4)
    first17 = category + division + body + _org_code_check(body)
    return first17 + credit_code_check_char(first17)


def corrupt_credit_code(code: str) -> str:
    """The same code with a wrong check character (a typical typing error)."""
    wrong = CREDIT_CODE_CHARS[(CREDIT_CODE_CHARS.index(code[17]) + 7) % 31]
    return code[:17] + wrong


def patent_number(serial: int, kind: str) -> str:
    """Publication number in the made-up ``CNDL`` series: ``CNDL0001234A`` (A/U/S by kind)."""
    suffix = {"发明": "A", "实用新型": "U", "外观设计": "S"}[kind]
    return f"CNDL{serial:07d}{suffix}"


def application_number(year: int, serial: int, kind: str) -> str:
    """``DL2008 1 000123.4``-style application number (type digit 1/2/3, made-up series)."""
    type_digit = {"发明": "1", "实用新型": "2", "外观设计": "3"}[kind]
    body = f"{year}{type_digit}{serial:07d}"
    check = sum(int(d) * (i % 8 + 2) for i, d in enumerate(body)) % 11
    return f"DL{body}.{'X' if check == 10 else check}"
