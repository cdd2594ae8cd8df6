"""The notification outbox: enqueue after commit, delivery, retries, reads."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from grassroots.core.errors import DomainError, NotFound
from grassroots.core.models import Notification, SmsMessage
from grassroots.core.notifications import backends, selectors, services, tasks
from grassroots.core.notifications.services import DeliveryOutcome

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
TEST_KIND = services.sms_kind("tests.notice", "测试通知", ("text",))
Status = Notification.Status


class BoomError(Exception):
    pass


class FailingSmsBackend(backends.SmsBackend):
    calls = 0

    def send(self, *, phone: str, body: str, notification: Notification) -> backends.SmsSendResult:
        type(self).calls += 1
        raise BoomError("网关不可用 gateway down")


class FlakySmsBackend(backends.LogTableSmsBackend):
    """Fails on the first call, then works."""

    calls = 0

    def send(self, *, phone: str, body: str, notification: Notification) -> backends.SmsSendResult:
        type(self).calls += 1
        if type(self).calls == 1:
            raise BoomError("temporary")
        return super().send(phone=phone, body=body, notification=notification)


class NotABackend:
    pass


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def other_user(make_user):
    return make_user()


@pytest.fixture(autouse=True)
def _reset_backend_counters():
    FailingSmsBackend.calls = 0
    FlakySmsBackend.calls = 0


def _pending_row(**kwargs) -> Notification:
    """A row written directly, without queueing its delivery."""
    defaults = {"channel": Notification.Channel.SMS, "address": PHONE, "subject": "提醒", "body": "请按时参会。"}
    defaults.update(kwargs)
    return Notification.objects.create(**defaults)


def _backdate(notification: Notification, **delta: float) -> None:
    past = timezone.now() - datetime.timedelta(**delta)
    Notification.objects.filter(pk=notification.pk).update(created_at=past, updated_at=past)


# --- enqueue and the transaction --------------------------------------------


def test_rolled_back_enqueue_leaves_no_row_and_sends_nothing(user, django_capture_on_commit_callbacks):
    def change_that_fails() -> None:
        with transaction.atomic():
            services.notify_sms(PHONE, "您的事项已受理。", kind=TEST_KIND, params={"text": "您的事项已受理。"})
            services.notify_email("a@example.com", "受理通知", "您的事项已受理。")
            services.notify_user(user, "新事项", "有新的事项待处理。")
            raise RuntimeError("the caller's change failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert SmsMessage.objects.count() == 0
    assert mail.outbox == []


def test_nothing_is_delivered_before_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = services.notify_sms(
            PHONE, "您的事项已受理。", kind=TEST_KIND, params={"text": "您的事项已受理。"}
        )
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.attempts == 0
    assert SmsMessage.objects.count() == 0


def test_committed_in_app_notification_is_delivered(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify_user(user, "新事项", "有新的事项待处理。", link="/matters/1/")
    notification.refresh_from_db()
    assert notification.channel == Notification.Channel.IN_APP
    assert notification.recipient == user
    assert notification.status == Status.SENT
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert notification.read_at is None
    assert SmsMessage.objects.count() == 0
    assert mail.outbox == []


def test_sms_lands_in_the_log_table_encrypted(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify_sms(
            "+86 138-1234-5678",
            "请于周五参加议事会。",
            kind=TEST_KIND,
            params={"text": "请于周五参加议事会。"},
            link="/m/7/",
        )
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.address == PHONE
    sms = SmsMessage.objects.get()
    assert sms.phone == PHONE
    assert sms.notification == notification
    assert sms.body == "请于周五参加议事会。\nhttp://127.0.0.1:8000/m/7/"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_smsmessage")
        (raw_phone,) = cursor.fetchone()
        cursor.execute("SELECT address FROM core_notification")
        (raw_address,) = cursor.fetchone()
    for raw in (raw_phone, raw_address):
        assert raw
        assert PHONE not in raw
        assert "5678" not in raw


def test_email_goes_through_the_email_backend(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify_email(" resident@example.com ", "办理结果", "您的申请已办结。")
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["resident@example.com"]
    assert message.subject == "办理结果"
    assert message.body == "您的申请已办结。"
    assert SmsMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"channel": "inapp", "subject": "s", "body": "b"}, "notification_recipient_required"),
        ({"channel": "sms", "subject": "s", "body": "b", "address": "12345"}, "notification_phone_invalid"),
        ({"channel": "sms", "subject": "s", "body": "b"}, "notification_phone_invalid"),
        ({"channel": "email", "subject": "s", "body": "b", "address": "not-an-email"}, "notification_email_invalid"),
        ({"channel": "fax", "subject": "s", "body": "b", "address": "x"}, "notification_channel_invalid"),
        ({"channel": "sms", "subject": "s", "body": "  ", "address": PHONE}, "notification_body_required"),
        ({"channel": "sms", "subject": "长" * 201, "body": "b", "address": PHONE}, "notification_subject_too_long"),
    ],
)
def test_invalid_input_is_refused_and_writes_nothing(kwargs, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(DomainError) as excinfo:
        services.notification_enqueue(**kwargs)
    assert excinfo.value.code == code
    assert excinfo.value.message  # Chinese message for the user
    assert callbacks == []
    assert Notification.objects.count() == 0


def test_dedupe_key_returns_the_existing_row(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = services.notify_sms(
            PHONE, "期限将至。", kind=TEST_KIND, params={"text": "期限将至。"}, dedupe_key="matter:1:deadline"
        )
        second = services.notify_sms(
            PHONE, "期限将至。", kind=TEST_KIND, params={"text": "期限将至。"}, dedupe_key="matter:1:deadline"
        )
        third = services.notify_sms(
            PHONE, "期限将至。", kind=TEST_KIND, params={"text": "期限将至。"}, dedupe_key="matter:2:deadline"
        )
    assert second.pk == first.pk
    assert third.pk != first.pk
    assert len(callbacks) == 2
    assert Notification.objects.count() == 2
    assert SmsMessage.objects.count() == 2


def test_a_broker_failure_keeps_the_row_pending(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.deliver_notification, "delay", side_effect=ConnectionError("broker down")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = services.notify_sms(
            PHONE, "您的事项已受理。", kind=TEST_KIND, params={"text": "您的事项已受理。"}
        )
    delay.assert_called_once_with(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.attempts == 0
    assert SmsMessage.objects.count() == 0


# --- delivery -----------------------------------------------------------------


def test_delivering_twice_sends_once():
    notification = _pending_row()
    assert services.notification_deliver(notification_id=notification.pk, last_try=False) == DeliveryOutcome.SENT
    assert services.notification_deliver(notification_id=notification.pk, last_try=False) == DeliveryOutcome.SKIPPED
    tasks.deliver_notification.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 1
    assert SmsMessage.objects.count() == 1


def test_a_missing_row_is_skipped():
    assert services.notification_deliver(notification_id=987654, last_try=True) == DeliveryOutcome.SKIPPED


def test_a_row_being_sent_by_another_worker_is_not_sent_again():
    claimed_at = timezone.now() - datetime.timedelta(minutes=1)
    notification = _pending_row()
    Notification.objects.filter(pk=notification.pk).update(sent_at=claimed_at, attempts=1)
    assert services.notification_deliver(notification_id=notification.pk, last_try=False) == DeliveryOutcome.SKIPPED
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.sent_at == claimed_at
    assert notification.status == Status.PENDING
    assert SmsMessage.objects.count() == 0


def test_a_stale_claim_is_taken_over():
    notification = _pending_row()
    stale = timezone.now() - services.CLAIM_LEASE - datetime.timedelta(seconds=1)
    Notification.objects.filter(pk=notification.pk).update(sent_at=stale, attempts=1)
    assert services.notification_deliver(notification_id=notification.pk, last_try=False) == DeliveryOutcome.SENT
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 2
    assert SmsMessage.objects.count() == 1


@override_settings(SMS_BACKEND=f"{__name__}.FailingSmsBackend")
def test_a_failed_attempt_keeps_the_error_and_the_row_pending():
    notification = _pending_row()
    outcome = services.notification_deliver(notification_id=notification.pk, last_try=False)
    assert outcome == DeliveryOutcome.RETRY
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.attempts == 1
    assert notification.sent_at is None  # the claim is released
    assert notification.last_error == "BoomError: 网关不可用 gateway down"


@override_settings(SMS_BACKEND=f"{__name__}.FailingSmsBackend")
def test_a_backend_that_keeps_failing_ends_failed_with_the_row_kept(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify_sms(
            PHONE, "请于周五参加议事会。", kind=TEST_KIND, params={"text": "请于周五参加议事会。"}
        )
    notification.refresh_from_db()
    # Eager mode: the first attempt failed, the row waits for the retry task.
    assert notification.status == Status.PENDING
    assert notification.attempts == 1
    assert notification.last_error == "BoomError: 网关不可用 gateway down"
    # The rest of a worker's retry chain, attempt by attempt.
    for retries in range(1, tasks.MAX_TASK_RETRIES + 1):
        tasks.deliver_notification.apply(args=(notification.pk,), retries=retries)
        notification.refresh_from_db()
        assert notification.attempts == retries + 1
        expected = Status.FAILED if retries == tasks.MAX_TASK_RETRIES else Status.PENDING
        assert notification.status == expected
    assert FailingSmsBackend.calls == tasks.MAX_TASK_RETRIES + 1
    assert notification.last_error == "BoomError: 网关不可用 gateway down"
    assert notification.sent_at is None
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert SmsMessage.objects.count() == 0
    # A failed row is not sent by a stray delivery either.
    assert services.notification_deliver(notification_id=notification.pk, last_try=True) == DeliveryOutcome.SKIPPED
    assert FailingSmsBackend.calls == tasks.MAX_TASK_RETRIES + 1


@override_settings(SMS_BACKEND=f"{__name__}.FailingSmsBackend")
def test_a_worker_retries_with_exponential_backoff():
    notification = _pending_row()
    task: Any = tasks.deliver_notification
    task.push_request(retries=1, is_eager=False)
    try:
        with mock.patch.object(task, "retry", side_effect=Retry()) as retry, pytest.raises(Retry):
            task.run(notification.pk)
    finally:
        task.pop_request()
    retry.assert_called_once_with(countdown=60)
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.attempts == 1


@override_settings(SMS_BACKEND=f"{__name__}.FlakySmsBackend")
def test_a_transient_failure_is_retried_and_then_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify_sms(
            PHONE, "请于周五参加议事会。", kind=TEST_KIND, params={"text": "请于周五参加议事会。"}
        )
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    tasks.deliver_notification.apply(args=(notification.pk,), retries=1)
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 2
    assert notification.last_error == "BoomError: temporary"
    assert SmsMessage.objects.count() == 1


@override_settings(SMS_BACKEND=f"{__name__}.FailingSmsBackend")
def test_the_attempt_cap_ends_a_row_even_mid_chain():
    notification = _pending_row()
    Notification.objects.filter(pk=notification.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    outcome = services.notification_deliver(notification_id=notification.pk, last_try=False)
    assert outcome == DeliveryOutcome.FAILED
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == services.MAX_ATTEMPTS


def test_retry_countdown_grows_exponentially():
    assert [tasks.retry_countdown(n) for n in range(4)] == [30, 60, 120, 240]


@override_settings(SMS_BACKEND=f"{__name__}.NotABackend")
def test_a_misconfigured_sms_backend_is_rejected():
    with pytest.raises(TypeError):
        backends.get_sms_backend()


# --- the periodic retry task -----------------------------------------------------


def test_retry_task_picks_stuck_rows_only(django_capture_on_commit_callbacks):
    never_tried = _pending_row(body="never tried")
    _backdate(never_tried, minutes=3)
    fresh = _pending_row(body="fresh")
    stalled = _pending_row(body="stalled", attempts=2, last_error="BoomError: x")
    _backdate(stalled, minutes=20)
    waiting = _pending_row(body="waiting for its retry", attempts=2)
    _backdate(waiting, minutes=5)
    failed = _pending_row(body="failed", status=Status.FAILED, attempts=5, last_error="BoomError: x")
    _backdate(failed, minutes=40)
    failed_recently = _pending_row(body="failed recently", status=Status.FAILED, attempts=5)
    _backdate(failed_recently, minutes=5)
    exhausted = _pending_row(body="exhausted", status=Status.FAILED, attempts=services.MAX_ATTEMPTS)
    _backdate(exhausted, minutes=40)
    sent = _pending_row(body="sent", status=Status.SENT, attempts=1, sent_at=timezone.now())
    _backdate(sent, minutes=40)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_unsent_notifications.delay().get() == 3

    picked = {never_tried.pk, stalled.pk, failed.pk}
    for row in Notification.objects.all():
        if row.pk in picked:
            assert row.status == Status.SENT, row.body
        else:
            assert row.attempts == {fresh.pk: 0, waiting.pk: 2, sent.pk: 1}.get(row.pk, row.attempts)
    assert Notification.objects.get(pk=failed.pk).attempts == 6
    assert Notification.objects.get(pk=exhausted.pk).status == Status.FAILED
    assert Notification.objects.get(pk=failed_recently.pk).status == Status.FAILED
    assert Notification.objects.get(pk=fresh.pk).status == Status.PENDING
    assert Notification.objects.get(pk=waiting.pk).status == Status.PENDING
    assert sorted(SmsMessage.objects.values_list("body", flat=True)) == sorted(["never tried", "stalled", "failed"])


# --- reading --------------------------------------------------------------------


def test_mark_read_sets_read_at_and_updates_counts(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify_user(user, "一", "第一条")
        services.notify_user(user, "二", "第二条")
    assert selectors.unread_count(user=user) == 2
    result = services.notification_mark_read(user=user, notification_id=first.pk)
    assert result.read_at is not None
    read_at = result.read_at
    assert selectors.unread_count(user=user) == 1
    # Marking again keeps the first reading time.
    again = services.notification_mark_read(user=user, notification_id=first.pk)
    assert again.read_at == read_at
    assert services.notification_mark_all_read(user=user) == 1
    assert selectors.unread_count(user=user) == 0


def test_mark_read_of_someone_elses_notification_is_not_found(user, other_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        theirs = services.notify_user(other_user, "他人的通知", "内容")
    before = Notification.objects.get(pk=theirs.pk)
    with pytest.raises(NotFound):
        services.notification_mark_read(user=user, notification_id=theirs.pk)
    with pytest.raises(NotFound):
        services.notification_mark_read(user=user, notification_id=theirs.pk + 1000)
    after = Notification.objects.get(pk=theirs.pk)
    assert after.read_at is None
    assert after.updated_at == before.updated_at
    assert selectors.unread_count(user=other_user) == 1


def test_inbox_lists_only_the_users_in_app_notifications(user, other_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mine_old = services.notify_user(user, "旧", "内容")
        mine_new = services.notify_user(user, "新", "内容")
        services.notify_user(other_user, "他人", "内容")
        services.notify_sms(PHONE, "短信", kind=TEST_KIND, params={"text": "短信"}, recipient=user)
    assert list(selectors.notifications_for_user(user=user)) == [mine_new, mine_old]
    services.notification_mark_read(user=user, notification_id=mine_new.pk)
    assert list(selectors.notifications_for_user(user=user, unread_only=True)) == [mine_old]
    assert selectors.unread_count(user=user) == 1
