"""Fictitious identifiers are well-formed (GB 32100-2015) and cannot be real ones."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from demo.codes import corrupt_credit_code, fictitious_credit_code, patent_number
from ingest.normalize import ValueRejected, parse_credit_code


@given(st.integers(min_value=0, max_value=31**4 - 1))
def test_fictitious_credit_codes_pass_the_check_and_carry_the_mark(serial: int) -> None:
    code = fictitious_credit_code(serial)
    assert parse_credit_code(code) == code
    assert code[:8] == "91120110" and code[8:12] == "FAKE"


def test_codes_are_distinct_and_corruption_is_caught() -> None:
    codes = {fictitious_credit_code(i) for i in range(5000)}
    assert len(codes) == 5000
    with pytest.raises(ValueRejected, match="check character"):
        parse_credit_code(corrupt_credit_code(fictitious_credit_code(42)))


def test_known_valid_code_has_the_same_check_character() -> None:
    # The published example 91350100M000100Y43 checks the weights the generator relies on.
    assert parse_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_patent_numbers_use_the_made_up_office_prefix() -> None:
    assert patent_number(12, "发明") == "CNDL0000012A"
    assert patent_number(12, "实用新型").endswith("U")
