"""The reporter hears once about every change they care about: the due date
moved (by a meeting's decision or a reopen), the responsible unit changed,
their matter merged, their reopen request answered. Nothing is sent when
nothing they care about changed, and a retried delivery sends once."""

from __future__ import annotations

import datetime

import pytest

from grassroots.core.models import Notification, SmsMessage
from grassroots.core.notifications.services import notification_deliver

from ..models import ReopenRequest, ResponsibleUnit, UnitKind
from ..services import lifecycle
from ..services.feedback import matter_reopen_request, reopen_request_answer
from ..states import State
from . import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


def _sms(phone: str = f.PHONE) -> list[Notification]:
    rows = Notification.objects.filter(channel=Notification.Channel.SMS).order_by("pk")
    return [n for n in rows if n.address == phone]


def _deliberating(tree, staff):
    matter = f.matter_in_state(State.DELIBERATING, node=tree.unit_a1, handler=staff.village_a)
    Notification.objects.all().delete()
    return matter


def _department(tree) -> ResponsibleUnit:
    return ResponsibleUnit.objects.create(
        node=tree.subdistrict, kind=UnitKind.SUBDISTRICT, code="urban", name="街道城管办"
    )


def test_a_meeting_moving_the_deadline_and_the_unit_texts_the_reporter_once(tree, staff):
    matter = _deliberating(tree, staff)
    assert matter.due_date == D(2026, 12, 7)
    lifecycle.matter_deliberation_decide(
        actor=staff.street,
        matter=matter,
        plan="街道城管办牵头清理。",
        responsible_unit=_department(tree),
        assignee=staff.street,
        due_date=D(2026, 12, 14),
    )
    [sms] = _sms()
    assert "责任单位改为街道城管办" in sms.body and "办理期限调整为 2026年12月14日" in sms.body
    assert sms.subject == "办理安排调整"
    # A retried delivery sends one text.
    notification_deliver(notification_id=sms.pk, last_try=False)
    notification_deliver(notification_id=sms.pk, last_try=False)
    assert SmsMessage.objects.filter(notification=sms).count() == 1


def test_only_the_deadline_moved(tree, staff):
    matter = _deliberating(tree, staff)
    lifecycle.matter_deliberation_decide(
        actor=staff.village_a,
        matter=matter,
        plan="村委会出资维修。",
        responsible_unit=matter.responsible_unit,
        assignee=staff.grid_a1,
        due_date=D(2026, 12, 14),
    )
    [sms] = _sms()
    assert "办理期限调整为 2026年12月14日" in sms.body and "责任单位" not in sms.body


def test_a_decision_that_keeps_unit_and_deadline_sends_nothing(tree, staff):
    matter = _deliberating(tree, staff)
    lifecycle.matter_deliberation_decide(
        actor=staff.village_a,
        matter=matter,
        plan="按原方案办理。",
        responsible_unit=matter.responsible_unit,
        assignee=staff.grid_a1,
        due_date=matter.due_date,
    )
    assert _sms() == []
    # The assignee still hears about the work (in-app), the reporter does not.
    assert Notification.objects.filter(channel=Notification.Channel.IN_APP, recipient=staff.grid_a1).count() == 1


def test_leaving_deliberation_without_a_decision_sends_nothing(tree, staff):
    matter = _deliberating(tree, staff)
    lifecycle.matter_deliberation_withdraw(actor=staff.village_a, matter=matter, reason="会议取消")
    assert matter.state == State.ACCEPTED
    assert _sms() == []


def test_a_staff_reopen_tells_the_reporter_the_new_deadline(tree, staff):
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)
    Notification.objects.all().delete()
    lifecycle.matter_reopen(actor=staff.village_a, matter=matter, reason="群众反映灯又坏了。")
    [sms] = _sms()
    assert "重新办理" in sms.body and "2026年12月7日" in sms.body


@pytest.mark.parametrize("grant", [True, False])
def test_an_answered_reopen_request_is_one_text(tree, staff, grant):
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)
    reopen = matter_reopen_request(matter=matter, reason="灯还是不亮。")
    Notification.objects.all().delete()
    reopen_request_answer(actor=staff.village_a, reopen_request=reopen, grant=grant, answer="已安排电工。")
    [sms] = _sms()
    assert ("同意重新办理" if grant else "不同意重新办理") in sms.body
    if grant:
        assert "2026年12月7日" in sms.body  # the new deadline is in the same text
    assert ReopenRequest.objects.get(pk=reopen.pk).status != ReopenRequest.Status.OPEN


def test_a_merge_is_one_text(tree, staff):
    survivor = f.report(node=tree.unit_a1, title="楼道灯不亮", phone=f.OTHER_PHONE)
    merged = f.report(node=tree.unit_a1, phone=f.PHONE)
    Notification.objects.all().delete()
    lifecycle.matter_merge(actor=staff.village_a, matter=merged, into=survivor)
    assert len(_sms()) == 1
    assert _sms(f.OTHER_PHONE) == []
