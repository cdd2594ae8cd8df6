from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.core import validators
from grassroots.core.validators import (
    USCC_ALPHABET,
    id_number_check_char,
    is_valid_id_number,
    is_valid_uscc,
    is_valid_uscc_strict,
    make_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
    validate_uscc_strict,
)

PROPERTY = settings(max_examples=200, derandomize=True, database=None)

# --- Resident ID numbers (GB 11643-1999) --------------------------------------


def test_id_vectors():
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")  # lower-case x is accepted
    assert not is_valid_id_number("110105194912310021")
    assert id_number_check_char("11010519491231002") == "X"


@pytest.mark.parametrize(
    "body",
    [
        "11010519490230002",  # 30 February
        "11010519491301002",  # month 13
        "11010518991231002",  # before 1900
        "11010530000101002",  # in the future
    ],
)
def test_id_rejects_impossible_birth_dates(body):
    assert not is_valid_id_number(body + id_number_check_char(body))


@pytest.mark.parametrize("value", ["", "1101051949123100", "11010519491231002Y", "１１０１０５１９４９１２３１００２X"])
def test_id_rejects_malformed(value):
    assert not is_valid_id_number(value)


def test_validate_id_number_message():
    validate_id_number("11010519491231002X")
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number("110105194912310021")
    assert excinfo.value.code == "invalid_id_number"
    assert "身份证号码无效" in excinfo.value.messages[0]


birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31))
id_bodies = st.builds(
    lambda division, birth, serial: f"{division:06d}{birth:%Y%m%d}{serial:03d}",
    st.integers(min_value=110000, max_value=829999),
    birth_dates,
    st.integers(min_value=0, max_value=999),
)


@PROPERTY
@given(body=id_bodies)
def test_property_id_with_computed_check_char_validates(body):
    assert is_valid_id_number(body + id_number_check_char(body))


@PROPERTY
@given(body=id_bodies, position=st.integers(min_value=0, max_value=17), data=st.data())
def test_property_id_single_substitution_invalidates(body, position, data):
    value = body + id_number_check_char(body)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != value[position]]))
    changed = value[:position] + replacement + value[position + 1 :]
    assert not is_valid_id_number(changed)


# --- Unified social credit codes (GB 32100-2015) ------------------------------


def test_uscc_vectors():
    assert is_valid_uscc("91350100M000100Y43")
    assert is_valid_uscc("91110000600037341L")
    assert not is_valid_uscc("91350100M000100Y4Z")
    assert is_valid_uscc_strict("91350100M000100Y43")
    assert is_valid_uscc_strict("91110000600037341L")
    assert not is_valid_uscc_strict("91350100M000100Y4Z")


def test_org_code_check_char_vectors():
    assert org_code_check_char("M000100Y") == "4"
    assert org_code_check_char("60003734") == "1"
    # Σ mod 11 == 1 gives 10, written X; Σ mod 11 == 0 gives 11, written 0.
    assert org_code_check_char("00000006") == "X"  # 6 × 2 = 12 ≡ 1 (mod 11); 11 − 1 = 10
    assert org_code_check_char("00000000") == "0"  # 0 ≡ 0; 11 − 0 = 11
    assert org_code_check_char("A0000000") == "3"  # A = 10; 10 × 3 = 30 ≡ 8; 11 − 8 = 3


def test_strict_check_catches_a_bad_organisation_check_char():
    # Change the organisation check character (position 17) and recompute the
    # GB 32100 check character so that only the GB 11714 check fails.
    first17 = "91350100M000100Y5"
    value = first17 + uscc_check_char(first17)
    assert is_valid_uscc(value)
    assert not is_valid_uscc_strict(value)
    with pytest.raises(ValidationError):
        validate_uscc_strict(value)


def test_validate_uscc_message():
    validate_uscc("91350100M000100Y43")
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc("91350100M000100Y4Z")
    assert excinfo.value.code == "invalid_uscc"
    assert "统一社会信用代码无效" in excinfo.value.messages[0]


def test_make_uscc_for_a_social_organisation():
    code = make_uscc(authority="5", org_type="2", division="370303", org_code8="MJ0000AB")
    assert code.startswith("52370303MJ0000AB")
    assert is_valid_uscc_strict(code)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"authority": "55"},
        {"authority": "I"},
        {"org_type": ""},
        {"division": "37030"},
        {"division": "３７０３０３"},
        {"org_code8": "MJ0000A"},
        {"org_code8": "MJ0000AO"},  # O is not in the USCC alphabet
    ],
)
def test_make_uscc_rejects_malformed_parts(kwargs):
    parts = {"authority": "5", "org_type": "1", "division": "370303", "org_code8": "MJ000001"} | kwargs
    with pytest.raises(ValueError):  # noqa: PT011 - each message differs; the type is the contract
        make_uscc(**parts)


org_bodies = st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8)
uscc_parts = st.fixed_dictionaries(
    {
        "authority": st.sampled_from(USCC_ALPHABET[1:]),
        "org_type": st.sampled_from(USCC_ALPHABET[1:]),
        "division": st.integers(min_value=0, max_value=999999).map(lambda n: f"{n:06d}"),
        "org_code8": org_bodies,
    }
)


@PROPERTY
@given(parts=uscc_parts)
def test_property_make_uscc_validates_strictly(parts):
    code = make_uscc(**parts)
    assert len(code) == 18
    assert is_valid_uscc(code)
    assert is_valid_uscc_strict(code)
    assert code[16] == org_code_check_char(parts["org_code8"])


@PROPERTY
@given(parts=uscc_parts, position=st.integers(min_value=0, max_value=17), data=st.data())
def test_property_uscc_single_substitution_invalidates(parts, position, data):
    code = make_uscc(**parts)
    alphabet = "0123456789" if 2 <= position <= 7 else USCC_ALPHABET
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(changed)
    assert not is_valid_uscc_strict(changed)


def test_today_is_beijing_time():
    # An ID with today's Beijing date validates; tomorrow's does not.
    today = validators._today()
    body = f"110105{today:%Y%m%d}001"
    assert is_valid_id_number(body + id_number_check_char(body))
    tomorrow = today + datetime.timedelta(days=1)
    body = f"110105{tomorrow:%Y%m%d}001"
    assert not is_valid_id_number(body + id_number_check_char(body))
