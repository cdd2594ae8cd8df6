"""Scrubbing phone and ID numbers out of text shown to the public: every
form a resident might type them in goes, ordinary numbers stay."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.core.scrubbing import NUMBER_PLACEHOLDER, has_personal_numbers, scrub_personal_numbers

MOBILE = "13812345678"
ID_18 = "11010519491231002X"


def _in_script(digits: str, zero: str) -> str:
    """`digits` written in the decimal script whose zero is `zero`."""
    return "".join(chr(ord(zero) + int(d)) if d.isdigit() else d for d in digits)


@pytest.mark.parametrize(
    "written",
    [
        "13812345678",
        "138-1234-5678",
        "138 1234 5678",
        "138 - 1234 - 5678",
        "138.1234.5678",
        "(138)12345678",
        "+86 138 1234 5678",
        "+8613812345678",
        "008613812345678",
        "１３８１２３４５６７８",  # full-width
        "１３８－１２３４－５６７８",
        "13８-1234-5６78",  # mixed widths
        _in_script(MOBILE, "\u0660"),  # Arabic-Indic
        _in_script(MOBILE, "\u06f0"),  # Extended Arabic-Indic (Persian)
        _in_script(MOBILE, "\u0966"),  # Devanagari
        _in_script("138", "\u0660") + "1234" + _in_script("5678", "\uff10"),  # three scripts in one
        "一三八一二三四五六七八",  # Chinese numerals
        "幺三八 幺二三四 五六七八",
        "一三八1234五六七八",
        "138\u30001234\u30005678",  # ideographic spaces
        "138\u200b1234\u200b5678",  # zero-width spaces
        "0533-2181234",  # Zibo landline with its area code
        "（0533）21812345",
        "010 12345678",
    ],
)
def test_phone_numbers_in_any_form_are_scrubbed(written):
    text = f"楼道灯坏了,请联系{written}谢谢"
    scrubbed = scrub_personal_numbers(text)
    assert scrubbed == f"楼道灯坏了,请联系{NUMBER_PLACEHOLDER}谢谢"
    assert not has_personal_numbers(scrubbed)
    assert has_personal_numbers(text)


@pytest.mark.parametrize(
    "written",
    [
        ID_18,
        ID_18.lower(),
        "110105 19491231 002X",
        "110105-19491231-002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "370303500301011",  # the old 15-digit format
        _in_script(ID_18[:-1], "\u0660") + "X",
        "6222021234567890123",  # a bank card number: personal as well
    ],
)
def test_id_numbers_are_scrubbed(written):
    scrubbed = scrub_personal_numbers(f"身份证{written}。")
    assert scrubbed == f"身份证{NUMBER_PLACEHOLDER}。"


@pytest.mark.parametrize(
    "text",
    [
        "联系电话:2181234",  # a local number after a keyword
        "电话 218-1234",
        "手机:1381234 5678",
        "Tel: 2181234",
        "微信号 13812345",
    ],
)
def test_numbers_after_a_phone_keyword_are_scrubbed(text):
    assert NUMBER_PLACEHOLDER in scrub_personal_numbers(text)
    assert not any(c.isdigit() for c in scrub_personal_numbers(text))


@pytest.mark.parametrize(
    "text",
    [
        "3号楼2单元1302室门口的路灯不亮",
        "2026年11月30日 14:30 在村委会召开",
        "2026-11-30 至 2026-12-07",
        "事项 SX20261130-0001 已办结",
        "预计增加集体收入 210 万元,约 2100000 元",
        "赞成 5 票,反对 0 票,弃权 1 票",
        "满意度 95%(满意 19 票,基本满意 1 票,共 20 票)",
        "查询码 7K3M-9QX2-PA",
        "区划代码 370303003206",
        "哈希 3a1381234567890bcd5e",
        "第一网格、第三网格",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert scrub_personal_numbers(text) == text
    assert not has_personal_numbers(text)


_DIGIT_ZEROS = ["0", "\uff10", "\u0660", "\u06f0", "\u0966", "\u09e6", "\u0e50", "\U0001d7ce"]
_SEPARATORS = ["", "", "", " ", "-", "\u3000", "－", ".", "\u2014"]


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"\A1[3-9][0-9]{9}\Z", fullmatch=True),
    st.lists(st.sampled_from(_DIGIT_ZEROS), min_size=11, max_size=11),
    st.lists(st.sampled_from(_SEPARATORS), min_size=10, max_size=10),
    st.text(alphabet="事情说明楼道漏水,。请回电", max_size=6),
    st.text(alphabet="事情说明楼道漏水,。请回电", max_size=6),
)
def test_any_mobile_in_any_scripts_and_spacing_is_scrubbed(number, zeros, separators, before, after):
    written = ""
    for i, (digit, zero) in enumerate(zip(number, zeros, strict=True)):
        written += chr(ord(zero) + int(digit))
        if i < 10:
            written += separators[i]
    scrubbed = scrub_personal_numbers(before + written + after)
    digits = "".join(str(unicodedata.decimal(c)) for c in scrubbed if unicodedata.decimal(c, None) is not None)
    assert number not in digits
    assert NUMBER_PLACEHOLDER in scrubbed
