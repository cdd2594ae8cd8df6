"""Validators for resident ID numbers (GB 11643-1999), unified social credit
codes (GB 32100-2015) and the organisation code inside them (GB 11714-1997),
and UPU S10 postal item identifiers (EMS international-form numbers).
Algorithms and test vectors: docs/domain.md."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# [0-9], not \d: \d would also accept full-width and other Unicode digits.
ID_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")


def id_number_check_char(first17: str) -> str:
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need 17 digits")
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


# Nobody alive was born before 1900; a birth date after today is impossible.
ID_EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def _today() -> datetime.date:
    # Beijing time: an ID issued today for a baby born today must validate.
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()


def is_valid_id_number(value: str) -> bool:
    value = (value or "").strip().upper()
    if not ID_PATTERN.match(value):
        return False
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not ID_EARLIEST_BIRTH <= birth <= _today():
        return False
    return id_number_check_char(value[:17]) == value[17]


def validate_id_number(value: str) -> None:
    if not is_valid_id_number(value):
        raise ValidationError("身份证号码无效:应为 18 位,出生日期真实,且校验码正确。", code="invalid_id_number")


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_char(first17: str) -> str:
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError("need 17 characters from the USCC alphabet")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    value = (value or "").strip().upper()
    if not USCC_PATTERN.match(value):
        return False
    return uscc_check_char(value[:17]) == value[17]


def validate_uscc(value: str) -> None:
    if not is_valid_uscc(value):
        raise ValidationError("统一社会信用代码无效:应为 18 位,且校验码正确。", code="invalid_uscc")


# GB 11714-1997 organisation code (positions 9–17 of a USCC): 8 body
# characters, digits 0–9 and letters A–Z valued 10–35, then a check character.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_VALUES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code_check_char(first8: str) -> str:
    """C9 = 11 − (Σ value × weight mod 11); 10 is written 'X', 11 is written '0'."""
    if len(first8) != 8 or any(c not in ORG_CODE_VALUES for c in first8):
        raise ValueError("need 8 characters from 0-9 and A-Z")
    check = 11 - sum(ORG_CODE_VALUES.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid_uscc_strict(value: str) -> bool:
    """A USCC whose GB 32100 check character and embedded GB 11714
    organisation-code check character (position 17) are both right."""
    value = (value or "").strip().upper()
    if not is_valid_uscc(value):
        return False
    org_body = value[8:16]
    if any(c not in ORG_CODE_VALUES for c in org_body):
        return False
    return org_code_check_char(org_body) == value[16]


def validate_uscc_strict(value: str) -> None:
    if not is_valid_uscc_strict(value):
        raise ValidationError(
            "统一社会信用代码无效:应为 18 位,且组织机构代码校验码和统一社会信用代码校验码均正确。",
            code="invalid_uscc",
        )


def make_uscc(*, authority: str, org_type: str, division: str, org_code8: str) -> str:
    """Build a full USCC: registration-authority code (1 character, '5' is civil
    affairs), organisation-type code (1 character: under civil affairs '1'
    social group, '2' private non-enterprise unit, '3' foundation), 6-digit
    division code and the 8-character organisation-code body; both check
    characters are computed. Raises ValueError on malformed parts."""
    authority, org_type, org_code8 = authority.upper(), org_type.upper(), org_code8.upper()
    if len(authority) != 1 or authority not in USCC_ALPHABET:
        raise ValueError("authority must be one character of the USCC alphabet")
    if len(org_type) != 1 or org_type not in USCC_ALPHABET:
        raise ValueError("org_type must be one character of the USCC alphabet")
    if len(division) != 6 or not division.isascii() or not division.isdigit():
        raise ValueError("division must be 6 digits")
    if len(org_code8) != 8 or any(c not in USCC_ALPHABET for c in org_code8):
        raise ValueError("org_code8 must be 8 characters of the USCC alphabet")
    first17 = f"{authority}{org_type}{division}{org_code8}{org_code_check_char(org_code8)}"
    return first17 + uscc_check_char(first17)


# UPU S10 item identifier: 2 service letters, 8 serial digits, 1 check digit,
# 2-letter ISO country code (e.g. ``EA123456785CN``).
S10_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{9}[A-Z]{2}$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> str:
    """The S10 check digit of an 8-digit serial: 11 − (Σ weight × digit mod 11),
    where 10 becomes 0 and 11 becomes 5."""
    if len(serial) != 8 or not serial.isascii() or not serial.isdigit():
        raise ValueError("serial must be 8 ASCII digits")
    check = 11 - sum(w * int(d) for w, d in zip(S10_WEIGHTS, serial, strict=True)) % 11
    return {10: "0", 11: "5"}.get(check, str(check))


def is_valid_s10(value: str) -> bool:
    """Format and check digit of an (already normalised, upper-case) S10 identifier."""
    value = value or ""
    if not S10_PATTERN.match(value):
        return False
    return s10_check_digit(value[2:10]) == value[10]


def validate_s10(value: str) -> None:
    if not is_valid_s10((value or "").strip().upper()):
        raise ValidationError(
            "邮件号码无效:应为两位字母 + 8 位数字 + 1 位校验码 + 两位国家代码(如 EA123456785CN),且校验码正确。",
            code="invalid_s10",
        )


# --- Phone numbers ---------------------------------------------------------------

# Full-width digits, plus and hyphen come from Chinese input methods: the same
# digits in another width, folded to ASCII. Digits of any other script
# (Arabic-Indic ٨, Devanagari …) are refused: they would be stored as typed,
# miss the blind index and never reach an SMS gateway.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "＋": "+", "－": "-", "　": " "})
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
PHONE_SCRIPT_MESSAGE = "手机号码只能使用数字 0–9,不能混用其他文字的数字(如 ٨、३)。"
PHONE_FORMAT_MESSAGE = "手机号码应为 11 位大陆手机号码,以 1 开头。"


class PhoneError(ValueError):
    """A mobile number that cannot be used; `code` is stable, the message Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def fold_digits(value: str) -> str:
    return (value or "").translate(_FULL_WIDTH)


def normalise_mobile_number(value: str) -> str:
    """A mainland mobile number as 11 ASCII digits: spaces and hyphens
    dropped, +86/86 removed, full-width characters folded. Raises PhoneError."""
    phone = re.sub(r"[\s-]", "", fold_digits(value))
    if any(c.isdigit() and not c.isascii() for c in phone):
        raise PhoneError("phone_digits_script", PHONE_SCRIPT_MESSAGE)
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    if not MOBILE_RE.match(phone):
        raise PhoneError("phone_invalid", PHONE_FORMAT_MESSAGE)
    return phone
