"""Masking of personal data for display: the default everywhere (lists, pages,
exports, API answers). Only an audited reveal shows the full value.

A mask is only as good as what stands beside it (ADR 0017): an ID number
keeps its first three and last two characters, so neither the birth date
(characters 7–14) nor most of the sequence is shown, and pages show a
person's age (`age_on`) instead of the birth date."""

from __future__ import annotations

import datetime

ID_KEEP_HEAD = 3
ID_KEEP_TAIL = 2


def mask_id_number(value: str | None) -> str:
    """``11010519491231002X`` → ``110*************2X``.

    What is left cannot be completed: the division beyond the province, the
    birth date and two of the three sequence digits stay hidden. With the
    division known and the birth year known to within a year (from the
    address and the age), about 10,000 valid numbers still fit; the old
    ``110105********002X`` left about 100, and exactly one beside a birth
    date."""
    if not value:
        return ""
    if len(value) <= 5:
        return "*" * len(value)
    if len(value) < 14:
        # Not a resident ID number (18, or 15 for the old format): keep only two characters.
        return value[:2] + "*" * (len(value) - 2)
    return value[:ID_KEEP_HEAD] + "*" * (len(value) - ID_KEEP_HEAD - ID_KEEP_TAIL) + value[-ID_KEEP_TAIL:]


def age_on(birth: datetime.date | None, today: datetime.date) -> int | None:
    """Whole years of age on `today`: what pages show instead of a birth date."""
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    # At least four characters stay hidden: short numbers (7- or 8-digit
    # landlines) give up leading characters before trailing ones.
    tail = min(4, len(value) - 4)
    head = min(3, len(value) - 4 - tail)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_name(value: str | None) -> str:
    """``张三丰`` → ``张**``; used on public pages."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else value
