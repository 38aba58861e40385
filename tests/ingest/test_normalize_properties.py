"""Property tests of the two converters every source file goes through: money (元 / 万元 / 亿元, as
written in Chinese statistical tables) and dates (ISO, slashes, dots, 年月日, compact)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ingest.errors import ValueRejected
from ingest.normalize import MONEY_UNITS, parse_date, parse_money

UNITS = ("元", "万元", "亿元", "万", "亿", "千元")
amounts = st.decimals(min_value=0, max_value=Decimal("1e9"), places=2, allow_nan=False, allow_infinity=False)


def _written(amount: Decimal, *, grouped: bool, currency: bool) -> str:
    text = f"{amount:,.2f}" if grouped else f"{amount:.2f}"
    return ("¥" if currency else "") + text


@given(amount=amounts, unit=st.sampled_from(UNITS), grouped=st.booleans(), currency=st.booleans())
def test_money_as_written_is_the_amount_times_its_unit(
    amount: Decimal, unit: str, grouped: bool, currency: bool
) -> None:
    cell = _written(amount, grouped=grouped, currency=currency) + unit
    expected = float(amount) * MONEY_UNITS[unit]
    assert math.isclose(parse_money(cell), expected, rel_tol=1e-12, abs_tol=1e-9)


@given(amount=amounts, cell_unit=st.sampled_from(UNITS), header_unit=st.sampled_from(("元", "万元", "亿元")))
def test_the_cells_own_unit_beats_the_headers(amount: Decimal, cell_unit: str, header_unit: str) -> None:
    cell = f"{amount}{cell_unit}"
    assert parse_money(cell, header_unit) == parse_money(cell)


@given(amount=amounts, header_unit=st.sampled_from(("元", "万元", "亿元")))
def test_a_bare_number_takes_the_headers_unit(amount: Decimal, header_unit: str) -> None:
    expected = float(amount) * MONEY_UNITS[header_unit]
    assert math.isclose(parse_money(str(amount), header_unit), expected, rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(parse_money(float(amount), header_unit), expected, rel_tol=1e-12, abs_tol=1e-9)


@given(st.text(st.characters(categories=("Lo",)), min_size=1, max_size=6))
def test_words_are_not_money(words: str) -> None:
    assume(not words.endswith(tuple(MONEY_UNITS)))  # a unit alone is covered by the parametrised tests
    with pytest.raises(ValueRejected, match="not an amount of money"):
        parse_money(words)


days = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31))
DATE_FORMS = (
    "{y}-{m:02d}-{d:02d}",
    "{y}-{m}-{d}",
    "{y}/{m}/{d}",
    "{y}.{m:02d}.{d:02d}",
    "{y}年{m}月{d}日",
    "{y}年{m}月{d}号",
    "{y}{m:02d}{d:02d}",
    "{y}-{m:02d}-{d:02d} 08:30",
    "{y}-{m:02d}-{d:02d}T08:30:15",
)


@given(day=days, form=st.sampled_from(DATE_FORMS))
def test_every_written_form_of_a_day_is_its_iso_date(day: dt.date, form: str) -> None:
    written = form.format(y=day.year, m=day.month, d=day.day)
    assert parse_date(written) == day.isoformat()


@given(day=days)
def test_date_objects_and_iso_text_agree_and_parsing_is_idempotent(day: dt.date) -> None:
    iso = parse_date(day)
    assert iso == day.isoformat() == parse_date(iso) == parse_date(dt.datetime.combine(day, dt.time(9)))


@given(day=days, form=st.sampled_from(("{y}年{m}月", "{y}-{m}", "{y}/{m:02d}")))
def test_a_month_stays_a_month(day: dt.date, form: str) -> None:
    assert parse_date(form.format(y=day.year, m=day.month)) == f"{day.year:04d}-{day.month:02d}"


@given(year=st.integers(min_value=1800, max_value=2200), month=st.integers(1, 12), day=st.integers(29, 31))
def test_a_day_the_calendar_lacks_is_rejected(year: int, month: int, day: int) -> None:
    try:
        real = dt.date(year, month, day)
    except ValueError:
        with pytest.raises(ValueRejected, match="not a calendar date"):
            parse_date(f"{year}-{month}-{day}")
    else:
        assert parse_date(f"{year}-{month}-{day}") == real.isoformat()
