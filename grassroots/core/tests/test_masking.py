from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.core.masking import age_on, mask_id_number, mask_name, mask_phone
from grassroots.core.validators import id_number_check_char


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010519491231002X", "110*************2X"),
        ("370303195003010115", "370*************15"),
        ("370303500301011", "370**********11"),  # old 15-digit format
        ("H12345678", "H1*******"),  # too short for an ID number: keep only two characters
        ("12345678901234", "123*********34"),
        ("1234", "****"),
        ("1", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@settings(max_examples=200)
@given(
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31)),
    serial=st.integers(0, 999),
)
def test_a_masked_id_number_shows_no_birth_date_character_and_at_most_five(birth, serial):
    """ADR 0017: characters 7–14 (the birth date) never show; 3 + 2 do."""
    body = f"370303{birth:%Y%m%d}{serial:03d}"
    masked = mask_id_number(body + id_number_check_char(body))
    assert masked[6:14] == "*" * 8
    assert sum(1 for c in masked if c != "*") == 5


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (datetime.date(1950, 3, 1), datetime.date(2026, 2, 28), 75),
        (datetime.date(1950, 3, 1), datetime.date(2026, 3, 1), 76),
        (datetime.date(2000, 2, 29), datetime.date(2026, 2, 28), 25),
        (datetime.date(2000, 2, 29), datetime.date(2026, 3, 1), 26),
        (None, datetime.date(2026, 3, 1), None),
    ],
)
def test_age_on(birth, today, age):
    assert age_on(birth, today) == age


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0533-12345678", "053******5678"),
        ("123456789", "1****6789"),
        ("87654321", "****4321"),  # 8-digit landline
        ("1234567", "****567"),
        ("123456", "******"),
        ("1", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("张三丰", "张**"), ("李四", "李*"), ("欧阳娜娜", "欧***"), ("王", "王"), ("", ""), (None, "")],
)
def test_mask_name(value, masked):
    assert mask_name(value) == masked


@pytest.mark.parametrize("length", range(1, 25))
def test_masks_keep_the_length_and_hide_at_least_four_characters_or_all(length):
    value = "".join(str(i % 10) for i in range(length))

    for masked in (mask_id_number(value), mask_phone(value)):
        assert len(masked) == length
        assert masked.count("*") >= min(4, length)
