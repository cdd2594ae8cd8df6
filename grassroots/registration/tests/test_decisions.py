"""Decisions and their clocks: suspension (第45条), one extension (第42条),
approval with the certificate issued the same day, refusal with reasons."""

from __future__ import annotations

import datetime

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.errors import DomainError
from grassroots.core.models import Notification
from grassroots.core.validators import is_valid_uscc_strict
from grassroots.registration.models import Certificate, ClockStop, Organisation
from grassroots.registration.services import applications as apps
from grassroots.registration.states import State
from grassroots.testing.factories import UserFactory

from . import support_applications as support

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    return support.Clock(monkeypatch)


@pytest.fixture
def user(db):
    return support.staff()


def test_suspension_over_national_day_moves_both_due_dates(clock, user):
    application = support.accepted(user)
    assert application.statutory_due == D(2026, 11, 23)
    clock.day(D(2026, 9, 30))
    stop = apps.clock_suspend(actor=user, application=application, kind="expert", reason="组织专家评审")
    assert stop.started_on == D(2026, 9, 30)
    clock.day(D(2026, 10, 9))
    apps.clock_resume(actor=user, application=application)
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    # 30 Sep, 8 and 9 Oct do not count: three working days later.
    assert application.statutory_due == D(2026, 11, 26)
    assert application.promised_due == D(2026, 9, 29)  # due before the suspension began
    stop.refresh_from_db()
    assert stop.ended_on == D(2026, 10, 9)
    assert "11月26日" in application.events.get(action="resume").text


def test_suspension_needs_a_known_kind_and_a_reason(clock, user):
    application = support.accepted(user)
    with pytest.raises(DomainError, match="事由"):
        apps.clock_suspend(actor=user, application=application, kind="extension", reason="x")
    with pytest.raises(DomainError, match="请填写理由"):
        apps.clock_suspend(actor=user, application=application, kind="hearing", reason=" ")
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    assert ClockStop.objects.count() == 0


def test_suspension_cannot_start_before_acceptance_or_in_the_future(clock, user):
    application = support.accepted(user)
    with pytest.raises(DomainError, match="早于受理日期"):
        apps.clock_suspend(
            actor=user, application=application, kind="hearing", reason="听证", started_on=D(2026, 9, 25)
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        apps.clock_suspend(
            actor=user, application=application, kind="hearing", reason="听证", started_on=D(2026, 10, 1)
        )
    assert ClockStop.objects.count() == 0


def test_resume_before_the_suspension_started_is_refused(clock, user):
    application = support.accepted(user)
    clock.day(D(2026, 9, 30))
    apps.clock_suspend(actor=user, application=application, kind="hearing", reason="听证")
    with pytest.raises(DomainError, match="不能早于中止日期"):
        apps.clock_resume(actor=user, application=application, ended_on=D(2026, 9, 29))
    application.refresh_from_db()
    assert application.state == State.SUSPENDED


def test_extension_adds_ten_working_days_once(clock, user, django_capture_on_commit_callbacks):
    application = support.accepted(user)
    with django_capture_on_commit_callbacks(execute=True):
        apps.clock_extend(actor=user, application=application, reason="需征求业务主管单位意见")
    application.refresh_from_db()
    assert application.statutory_due == D(2026, 12, 7)
    assert application.promised_due == D(2026, 9, 29)
    sms = Notification.objects.get(channel="sms", dedupe_key=f"reg-app-{application.pk}-extended")
    assert "需征求业务主管单位意见" in sms.body
    with pytest.raises(DomainError) as caught:
        apps.clock_extend(actor=user, application=application, reason="再延一次")
    assert caught.value.status == 409
    assert ClockStop.objects.filter(kind="extension").count() == 1


def test_extension_is_a_decision_of_the_head(clock, user):
    application = support.accepted(user)
    clerk = UserFactory(role=Role.SUBDISTRICT_STAFF)
    with pytest.raises(DomainError) as caught:
        apps.clock_extend(actor=clerk, application=application, reason="x")
    assert caught.value.status == 403
    assert ClockStop.objects.count() == 0


def test_extension_after_the_deadline_is_refused(clock, user):
    application = support.accepted(user)
    clock.day(D(2026, 11, 24))
    with pytest.raises(DomainError, match="法定期限已过"):
        apps.clock_extend(actor=user, application=application, reason="迟了")
    assert ClockStop.objects.count() == 0


def test_approval_issues_the_certificate_the_same_day(clock, user):
    application = support.accepted(user)
    apps.application_approve(actor=user, application=application, reason="符合登记条件")
    application.refresh_from_db()
    assert application.state == State.ISSUED
    assert application.decision_reason == "符合登记条件"
    assert application.decided_at is not None
    organisation = Organisation.objects.get(applications=application)
    assert is_valid_uscc_strict(organisation.credit_code)
    assert organisation.credit_code.startswith("52")
    certificate = Certificate.objects.get(application=application)
    assert certificate.issued_on == D(2026, 9, 28)
    assert [e.action for e in application.events.order_by("id")][-2:] == ["approve", "issue"]


def test_approval_without_issue_stays_approved(clock, user):
    application = support.accepted(user)
    apps.application_approve(actor=user, application=application, issue=False)
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert not Certificate.objects.exists()


def test_approve_and_refuse_need_the_decide_capability(clock, user):
    application = support.accepted(user)
    clerk = UserFactory(role=Role.VILLAGE_STAFF)
    for call in (
        lambda: apps.application_approve(actor=clerk, application=application),
        lambda: apps.application_refuse(actor=clerk, application=application, reason="x"),
    ):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.status == 403
    application.refresh_from_db()
    assert application.state == State.ACCEPTED


def test_refusal_gives_reasons_and_remedies(clock, user, django_capture_on_commit_callbacks):
    application = support.accepted(user)
    with pytest.raises(DomainError, match="不予登记的理由"):
        apps.application_refuse(actor=user, application=application, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        apps.application_refuse(actor=user, application=application, reason="拟任负责人不具备完全民事行为能力")
    application.refresh_from_db()
    assert application.state == State.REFUSED
    assert application.decision_reason == "拟任负责人不具备完全民事行为能力"
    sms = Notification.objects.get(channel="sms", dedupe_key=f"reg-app-{application.pk}-refused")
    assert "行政复议" in sms.body
