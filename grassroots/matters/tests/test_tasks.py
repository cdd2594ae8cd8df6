"""Escalation: the daily beat job (one level a day at most, idempotent per
day), manual escalation, and the joint meeting list."""

from __future__ import annotations

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings

from config.celery import app
from grassroots.core.errors import PermissionDenied
from grassroots.core.models import AuditEntry, Notification

from ..errors import MatterError
from ..models import EventKind, Matter, MatterEvent, UnitKind
from ..services import lifecycle
from ..states import State
from ..tasks import escalate_overdue_matters
from . import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
IN_APP = Notification.Channel.IN_APP


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def staff(tree, clock):
    return f.make_staff(tree)


DUE = D(2026, 11, 25)  # a Wednesday: 3 working days before the frozen Monday


def _overdue(tree, staff, *, state=State.HANDLING, unit_kind=UnitKind.GRID, due=DUE, code="grid-cat"):
    cat = f.category(code=code, unit_kind=unit_kind)
    matter = f.matter_in_state(state, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1, cat=cat)
    Matter.objects.filter(pk=matter.pk).update(due_date=due)
    matter.refresh_from_db()
    return matter


def _escalations(matter):
    return list(MatterEvent.objects.filter(matter=matter, kind=EventKind.ESCALATED).order_by("id"))


def test_beat_schedule_runs_the_job_daily_at_seven():
    entry = settings.CELERY_BEAT_SCHEDULE["matters-escalate-overdue"]
    assert entry["task"] == "grassroots.matters.tasks.escalate_overdue_matters"
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.hour == {7} and schedule.minute == {0}  # type: ignore[attr-defined]
    assert escalate_overdue_matters.name in app.tasks


def test_overdue_matter_climbs_one_level_a_day(tree, staff, clock):
    matter = _overdue(tree, staff)  # handled by the grid, due Wed 25 Nov
    assert escalate_overdue_matters.delay().get() == 1
    matter.refresh_from_db()
    assert (matter.escalated_to, matter.escalation_level, matter.escalated_on) == (tree.village_a, 1, clock.today)
    [event] = _escalations(matter)
    assert event.public and "逾期 3 个工作日未办结" in event.text and event.actor_label == "系统"
    # The village's handlers hear about it; the grid worker does not.
    assert Notification.objects.filter(channel=IN_APP, recipient=staff.village_a, subject="事项升级督办").count() == 1
    assert not Notification.objects.filter(subject="事项升级督办", recipient=staff.grid_a1).exists()
    assert AuditEntry.objects.filter(action="matters.escalate", object_id=str(matter.pk)).count() == 1

    # The same day again: nothing.
    before = (Notification.objects.count(), MatterEvent.objects.count(), AuditEntry.objects.count())
    assert escalate_overdue_matters() == 0
    assert (Notification.objects.count(), MatterEvent.objects.count(), AuditEntry.objects.count()) == before
    matter.refresh_from_db()
    assert matter.escalation_level == 1

    # The next day: one level up, to the subdistrict.
    clock.advance(days=1)
    assert escalate_overdue_matters() == 1
    matter.refresh_from_db()
    assert (matter.escalated_to, matter.escalation_level) == (tree.subdistrict, 2)
    assert Notification.objects.filter(recipient=staff.street, subject="事项升级督办").count() == 1

    # At the top it stays there.
    clock.advance(days=1)
    assert escalate_overdue_matters() == 0
    assert len(_escalations(matter)) == 2


def test_only_overdue_open_matters_are_escalated(tree, staff, clock):
    due_today = _overdue(tree, staff, due=clock.today)
    deliberating = _overdue(tree, staff, state=State.DELIBERATING)
    resolved = _overdue(tree, staff, state=State.RESOLVED)
    department = _overdue(tree, staff, unit_kind=UnitKind.SUBDISTRICT, code="dept-cat")  # already at the top
    assert lifecycle.matters_escalate_overdue() == 0
    for matter in (due_today, deliberating, resolved, department):
        assert _escalations(matter) == []


def test_village_unit_escalates_to_the_subdistrict(tree, staff):
    matter = _overdue(tree, staff, unit_kind=UnitKind.VILLAGE, code="village-cat")
    assert lifecycle.matters_escalate_overdue() == 1
    matter.refresh_from_db()
    assert matter.escalated_to == tree.subdistrict


def test_manual_escalation_and_the_job_on_the_same_day(tree, staff):
    matter = _overdue(tree, staff)
    lifecycle.matter_escalate(actor=staff.village_a, matter=matter, reason="群众多次来电催办。")
    assert (matter.escalated_to, matter.escalation_level) == (tree.village_a, 1)
    [event] = _escalations(matter)
    assert not event.public and "群众多次来电催办" in event.text and event.actor == staff.village_a
    assert lifecycle.matters_escalate_overdue() == 0  # already escalated today
    # By hand it may go further the same day.
    lifecycle.matter_escalate(actor=staff.street, matter=matter, reason="街道督办。")
    assert matter.escalated_to == tree.subdistrict
    before = (MatterEvent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(MatterError) as excinfo:
        lifecycle.matter_escalate(actor=staff.street, matter=matter, reason="再升级。")
    assert excinfo.value.code == "escalation_top"
    assert (MatterEvent.objects.count(), AuditEntry.objects.count()) == before


def test_manual_escalation_rules(tree, staff):
    matter = _overdue(tree, staff)
    closed = f.matter_in_state(State.CLOSED, node=tree.unit_a1, handler=staff.village_a)
    before = (MatterEvent.objects.count(), Matter.objects.get(pk=matter.pk).escalation_level)
    with pytest.raises(PermissionDenied):
        lifecycle.matter_escalate(actor=staff.grid_a1, matter=matter, reason="催办")
    with pytest.raises(MatterError, match="理由"):
        lifecycle.matter_escalate(actor=staff.village_a, matter=matter, reason=" ")
    with pytest.raises(MatterError, match="尚未办结"):
        lifecycle.matter_escalate(actor=staff.village_a, matter=closed, reason="催办")
    assert (MatterEvent.objects.count(), Matter.objects.get(pk=matter.pk).escalation_level) == before


def test_joint_meeting_list(tree, staff):
    matter = _overdue(tree, staff)
    reported = f.report(node=tree.unit_a1)
    with pytest.raises(PermissionDenied):
        lifecycle.matter_request_joint_meeting(actor=staff.grid_a1, matter=matter, reason="需要协调")
    with pytest.raises(MatterError, match="已受理"):
        lifecycle.matter_request_joint_meeting(actor=staff.village_a, matter=reported, reason="需要协调")
    lifecycle.matter_request_joint_meeting(actor=staff.village_a, matter=matter, reason="涉及三个部门,需街道统筹。")
    assert matter.joint_meeting_requested_at is not None
    assert matter.joint_meeting_reason == "涉及三个部门,需街道统筹。"
    assert matter.events.filter(kind=EventKind.JOINT_MEETING, public=True).exists()
    with pytest.raises(MatterError, match="已列入"):
        lifecycle.matter_request_joint_meeting(actor=staff.street, matter=matter, reason="再列一次")
