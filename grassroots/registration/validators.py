"""EMS tracking numbers for renewal by mail (不见面换证), shared by the page
form, the API serializer and the services, so that all three refuse the same
numbers with the same Chinese message.

Accepted: 13 digits (domestic EMS numbers; no published check digit, so only
the format is checked), or the UPU S10 form ``XX`` + 8 serial digits + check
digit + ``CN`` with the check digit right (``core.validators.is_valid_s10``).
Spaces and dashes are ignored and letters upper-cased."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from grassroots.core.validators import S10_PATTERN, is_valid_s10

EMS_DOMESTIC_PATTERN = re.compile(r"^[0-9]{13}$")
EMS_FORMAT_MESSAGE = "EMS 运单号格式不正确:应为 13 位数字,或两位字母 + 9 位数字 + CN(如 EA123456785CN)。"
EMS_CHECK_MESSAGE = "EMS 运单号校验码不正确(第 11 位与前 8 位数字不符),请核对运单上的号码。"


def ems_clean(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def ems_problem(number: str) -> tuple[str, str] | None:
    """(code, message) of what is wrong with a cleaned number, or None."""
    if EMS_DOMESTIC_PATTERN.match(number):
        return None
    if not S10_PATTERN.match(number) or not number.endswith("CN"):
        return "ems_number_invalid", EMS_FORMAT_MESSAGE
    if not is_valid_s10(number):
        return "ems_check_digit", EMS_CHECK_MESSAGE
    return None


def validate_ems_number(value: str) -> None:
    problem = ems_problem(ems_clean(value))
    if problem is not None:
        raise ValidationError(problem[1], code=problem[0])
