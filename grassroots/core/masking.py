"""Masking of personal data for display: the default everywhere (lists, pages,
exports, API answers). Only an audited reveal shows the full value."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """``11010519491231002X`` → ``110105********002X``."""
    if not value:
        return ""
    if len(value) <= 5:
        return "*" * len(value)
    if len(value) < 14:
        # Not a resident ID number (18, or 15 for the old format): keeping six
        # and four characters would show nearly all of it.
        return value[:2] + "*" * (len(value) - 2)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


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
