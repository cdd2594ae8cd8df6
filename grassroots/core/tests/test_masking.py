from __future__ import annotations

import pytest

from grassroots.core.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("370303195003010115", "370303********0115"),
        ("370303500301011", "370303*****1011"),  # old 15-digit format
        ("H12345678", "H1*******"),  # too short for an ID number: keep only two characters
        ("12345678901234", "123456****1234"),
        ("1234", "****"),
        ("1", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


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
