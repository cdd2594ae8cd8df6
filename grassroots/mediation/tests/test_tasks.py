"""Deadline reminders: who hears, when, and only once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.core.models import Notification
from grassroots.mediation.models import DisputeCase
from grassroots.mediation.states import State
from grassroots.mediation.tasks import deadline_reminders, mediation_deadline_reminders

pytestmark = pytest.mark.django_db


def test_reminders_go_to_lead_and_adviser_once(centre):
    today = timezone.localdate()
    soon = centre.case(State.MEDIATING, title="即将到期")
    late = centre.case(State.ACCEPTED, title="已超期")
    fine = centre.case(State.MEDIATING, title="时间充裕")
    done = centre.case(State.AGREED, title="已达成协议")
    DisputeCase.objects.filter(pk=soon.pk).update(due_date=today + datetime.timedelta(days=3))
    DisputeCase.objects.filter(pk__in=[late.pk, done.pk]).update(due_date=today - datetime.timedelta(days=2))
    DisputeCase.objects.filter(pk=fine.pk).update(due_date=today + datetime.timedelta(days=20))
    assert deadline_reminders(today=today) == 4
    rows = Notification.objects.filter(subject__startswith="调解案件")
    assert {(n.recipient_id, n.subject) for n in rows} == {
        (centre.mediator.pk, f"调解案件即将到期:{soon.number}"),
        (centre.adviser.pk, f"调解案件即将到期:{soon.number}"),
        (centre.mediator.pk, f"调解案件已超期:{late.number}"),
        (centre.adviser.pk, f"调解案件已超期:{late.number}"),
    }
    # Running again the same day (or via the Celery task) adds nothing.
    assert mediation_deadline_reminders.apply().get() == 4
    assert rows.count() == 4
    # A week later an overdue case is reminded again; "due soon" is not repeated
    # (that case is overdue by then and gets its first overdue warning).
    deadline_reminders(today=today + datetime.timedelta(days=7))
    assert Notification.objects.filter(subject=f"调解案件已超期:{late.number}").count() == 4
    assert Notification.objects.filter(subject=f"调解案件即将到期:{soon.number}").count() == 2
    assert Notification.objects.filter(subject=f"调解案件已超期:{soon.number}").count() == 2
