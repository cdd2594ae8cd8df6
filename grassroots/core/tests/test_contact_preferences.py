"""Residents' channel preferences (ADR 0056): the rule, how the outbox keeps
an SMS to someone who chose WeChat or nothing (a withheld row, never sent),
the administrator's test message that ignores it, and the audit entries."""

from __future__ import annotations

import datetime

import pytest

from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEntry, ContactPreference, Notification, SmsMessage
from grassroots.core.notifications import preferences
from grassroots.core.notifications.preferences import (
    PREFERENCE_ACTION,
    channel_allowed,
    contact_preference,
    contact_preference_set,
)
from grassroots.core.notifications.services import notification_deliver, notify_sms, sms_kind

PHONE = "13912345678"
OPENID = "oPrefTest0001"
KIND = sms_kind("tests.preference", "测试短信(接收方式)", ("text",))
Source = ContactPreference.Source

pytestmark = pytest.mark.django_db


def _set(choice: str, **who: str) -> bool:
    return contact_preference_set(actor=None, choice=choice, source=Source.TRACKING, object_label="test", **who)


def test_without_a_choice_every_channel_is_allowed():
    assert channel_allowed("sms", phone=PHONE) and channel_allowed("wechat", phone=PHONE, openid=OPENID)
    assert contact_preference(phone=PHONE) == ""


@pytest.mark.parametrize(
    ("choice", "sms", "wechat"), [("sms", True, False), ("wechat", False, True), ("none", False, False)]
)
def test_a_choice_allows_only_its_channel(choice, sms, wechat):
    assert _set(choice, phone=PHONE)
    assert channel_allowed("sms", phone=PHONE) is sms
    assert channel_allowed("wechat", phone=PHONE, openid=OPENID) is wechat
    # The number is the key whatever its spelling; another number is untouched.
    assert channel_allowed("sms", phone="+86 139-1234-5678") is sms
    assert channel_allowed("sms", phone="13800000000") and channel_allowed("wechat", openid=OPENID)


def test_the_newer_choice_of_phone_and_openid_wins():
    _set("none", openid=OPENID)
    _set("wechat", phone=PHONE)
    ContactPreference.objects.filter(kind="wechat").update(
        updated_at=ContactPreference.objects.get(kind="phone").updated_at + datetime.timedelta(seconds=5)
    )
    assert contact_preference(phone=PHONE, openid=OPENID) == "none"
    assert not channel_allowed("wechat", phone=PHONE, openid=OPENID)


def test_clearing_returns_to_the_default_and_the_key_is_not_the_number():
    _set("none", phone=PHONE)
    row = ContactPreference.objects.get()
    assert PHONE not in row.key and row.key == preferences.phone_key(PHONE)
    assert _set("", phone=PHONE)
    assert not ContactPreference.objects.exists() and channel_allowed("sms", phone=PHONE)
    assert not _set("", phone=PHONE)  # nothing to clear: no change, no audit entry


def test_each_change_is_audited_without_the_number():
    _set("wechat", phone=PHONE)
    _set("wechat", phone=PHONE)  # the same choice again changes nothing
    _set("none", phone=PHONE)
    entries = list(AuditEntry.objects.filter(action=PREFERENCE_ACTION).order_by("pk"))
    assert [(e.detail["before"], e.detail["after"]) for e in entries] == [("", "wechat"), ("wechat", "none")]
    assert all(PHONE not in str(e.detail) and e.detail["source"] == "tracking" for e in entries)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"choice": "email", "phone": PHONE}, "preference_invalid"),
        ({"choice": "sms", "phone": "12345"}, "preference_phone_invalid"),
        ({"choice": "sms"}, "preference_contact_required"),
    ],
)
def test_bad_input_changes_nothing(kwargs, code):
    with pytest.raises(DomainError) as caught:
        contact_preference_set(actor=None, source=Source.STAFF, **kwargs)
    assert caught.value.code == code and caught.value.message
    assert not ContactPreference.objects.exists() and not AuditEntry.objects.filter(action=PREFERENCE_ACTION).exists()


@pytest.mark.parametrize("choice", ["wechat", "none"])
def test_an_sms_to_someone_who_declined_is_withheld_and_never_sent(choice, django_capture_on_commit_callbacks):
    _set(choice, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = notify_sms(PHONE, "您反映的事项已受理。", kind=KIND, params={"text": "已受理"}, dedupe_key="pref:1")
    assert not callbacks  # nothing queued
    assert row.status == Notification.Status.WITHHELD and row.last_error
    assert notification_deliver(notification_id=row.pk, last_try=True).value == "skipped"
    assert not SmsMessage.objects.exists()
    # The same message again finds the withheld row.
    assert notify_sms(PHONE, "x", kind=KIND, params={"text": "x"}, dedupe_key="pref:1").pk == row.pk


def test_sms_goes_as_before_when_sms_is_chosen_or_nothing_is():
    for n, choice in enumerate(["", "sms"]):
        if choice:
            _set(choice, phone=PHONE)
        row = notify_sms(PHONE, "您反映的事项已受理。", kind=KIND, params={"text": "已受理"})
        assert row.status == Notification.Status.PENDING
        assert notification_deliver(notification_id=row.pk, last_try=True).value == "sent"
        assert SmsMessage.objects.count() == n + 1


def test_the_administrators_test_message_ignores_the_preference():
    _set("none", phone=PHONE)
    row = notify_sms(PHONE, "测试", kind=KIND, params={"text": "测试"}, respect_preference=False)
    assert row.status == Notification.Status.PENDING
