"""Per-number and per-day limits, taken before any gateway is called.
A unit is taken with one conditional UPDATE (`count < limit`), which is atomic
on SQLite and PostgreSQL alike, and given back when no gateway took the
message. A limit of 0 switches it off."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from grassroots.core.crypto import blind_index
from grassroots.core.models import SmsQuota

TOTAL_KEY = "*"
_PURPOSE = "sms-quota"


def _keys(phone: str) -> list[tuple[str, int, str]]:
    per_number = int(getattr(settings, "SMS_LIMIT_PER_NUMBER_PER_DAY", 0) or 0)
    per_day = int(getattr(settings, "SMS_LIMIT_PER_DAY", 0) or 0)
    return [
        (blind_index(phone, purpose=_PURPOSE), per_number, f"该号码今日短信已达上限({per_number}条)"),
        (TOTAL_KEY, per_day, f"平台今日短信已达上限({per_day}条)"),
    ]


def _take(key: str, day: datetime.date, limit: int) -> bool:
    if not SmsQuota.objects.filter(key=key, day=day).exists():
        try:
            with transaction.atomic():
                SmsQuota.objects.create(key=key, day=day)
        except IntegrityError:
            pass  # another worker created it meanwhile
    return bool(SmsQuota.objects.filter(key=key, day=day, count__lt=limit).update(count=F("count") + 1))


def _give_back(key: str, day: datetime.date) -> None:
    SmsQuota.objects.filter(key=key, day=day, count__gt=0).update(count=F("count") - 1)


def sms_quota_take(*, phone: str, day: datetime.date) -> str:
    """Take one unit of every limit for `phone` on `day`; "" when taken, else
    the reason (and nothing is kept)."""
    taken: list[str] = []
    for key, limit, reason in _keys(phone):
        if limit <= 0:
            continue
        if not _take(key, day, limit):
            for done in taken:
                _give_back(done, day)
            return reason
        taken.append(key)
    return ""


def sms_quota_release(*, phone: str, day: datetime.date) -> None:
    for key, limit, _reason in _keys(phone):
        if limit > 0:
            _give_back(key, day)
