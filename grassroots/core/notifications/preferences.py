"""Residents' channel preferences (居民接收方式, ADR 0056).

A resident is known to the outbox by a phone number (SMS) or a WeChat OpenID
(the official account's subscription messages). Either may carry a choice:
短信, 微信 or 不接收. `channel_allowed` is asked before anything is queued
for a resident; with no choice recorded every channel that can reach them is
allowed (the behaviour before preferences existed). When both the phone and
the OpenID of one reporter carry a choice, the newer one wins: it is what the
resident said last.

A choice is recorded by the resident (the tracking page, after the phone
check; a reply to the official account) or by staff on the resident's page;
every change is audited with who, where and what, never the phone number."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from grassroots.core import crypto
from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import DomainError
from grassroots.core.models import ContactPreference
from grassroots.core.validators import PhoneError, normalise_mobile_number

Choice = ContactPreference.Choice
Kind = ContactPreference.Kind
Source = ContactPreference.Source

PREFERENCE_ACTION = "contact.preference"
Action.LABELS.update({PREFERENCE_ACTION: _("设置居民接收方式")})

# The channels a message can go through, as `channel_allowed` names them.
SMS = "sms"
WECHAT = "wechat"

_PHONE_PURPOSE = "contact.preference.phone"


def phone_key(phone: str) -> str:
    """The blind index a phone number's preference is stored under ("" for
    a number that is not a mainland mobile number)."""
    try:
        normalised = normalise_mobile_number(phone)
    except PhoneError:
        return ""
    return crypto.blind_index(normalised, purpose=_PHONE_PURPOSE)


def _keys(*, phone: str, openid: str) -> list[tuple[str, str]]:
    keys = []
    if phone and (key := phone_key(phone)):
        keys.append((Kind.PHONE.value, key))
    if openid:
        keys.append((Kind.WECHAT.value, openid[:64]))
    return keys


def contact_preference(*, phone: str = "", openid: str = "") -> str:
    """The resident's latest choice ("sms", "wechat", "none"), or "" when
    none is recorded for this phone or OpenID."""
    keys = _keys(phone=phone, openid=openid)
    if not keys:
        return ""
    rows = [
        row
        for row in ContactPreference.objects.filter(kind__in={k for k, _ in keys}, key__in={v for _, v in keys})
        if (row.kind, row.key) in keys
    ]
    if not rows:
        return ""
    return max(rows, key=lambda row: (row.updated_at, row.pk)).choice


def channel_allowed(channel: str, *, phone: str = "", openid: str = "") -> bool:
    """May a message to this resident go through `channel` ("sms" or
    "wechat")? Yes unless they chose another channel or none."""
    choice = contact_preference(phone=phone, openid=openid)
    return not choice or choice == channel


def contact_preference_set(
    *, actor: Any, choice: str, source: str, phone: str = "", openid: str = "", object_label: str = ""
) -> bool:
    """Record `choice` for the phone number and/or the OpenID given ("" clears
    it back to the default). Audited when something changed; answers whether
    it did. `object_label` names, for the audit log, where it was set (a
    matter's number, a resident's id)."""
    if choice and choice not in Choice.values:
        raise DomainError("preference_invalid", "请选择短信、微信或不接收。", field="choice")
    if source not in Source.values:
        raise DomainError("preference_source_invalid", "未知的设置来源。", field="source")
    if phone and not phone_key(phone):
        raise DomainError("preference_phone_invalid", "手机号格式不正确。", field="phone")
    keys = _keys(phone=phone, openid=openid)
    if not keys:
        raise DomainError("preference_contact_required", "没有可设置接收方式的手机号或微信。", field="choice")
    user = actor if getattr(actor, "is_authenticated", False) else None
    changed = False
    with transaction.atomic():
        for kind, key in keys:
            row = ContactPreference.objects.select_for_update().filter(kind=kind, key=key).first()
            if not choice:
                if row is None:
                    continue
                before = row.choice
                row.delete()
            elif row is None:
                before = ""
                ContactPreference.objects.create(kind=kind, key=key, choice=choice, source=source, updated_by=user)
            elif row.choice == choice:
                continue
            else:
                before = row.choice
                row.choice, row.source, row.updated_by = choice, source, user
                row.save(update_fields=["choice", "source", "updated_by", "updated_at"])
            changed = True
            audit_record(
                action=PREFERENCE_ACTION,
                actor=user,
                object_type="core.contactpreference",
                object_id=object_label[:64],
                detail={"kind": kind, "before": before, "after": choice, "source": source},
            )
    return changed
