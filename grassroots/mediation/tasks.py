"""Periodic work of the mediation centre. Tasks take no objects, are
idempotent (notifications carry dedupe keys), and may run any number of times
a day: a team member hears once per case, due date and kind of warning."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.core.notifications.services import notify_user

from .models import CaseMediator, DisputeCase
from .selectors import due_status
from .services.workflow import due_soon_days
from .states import PERIOD_STATES


def deadline_reminders(*, today: datetime.date | None = None) -> int:
    """Warn the lead mediator and the legal adviser of every case whose
    mediation period ends within the warning window or has passed. Returns
    how many notifications exist for today's warnings (new or earlier)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=due_soon_days())
    cases = list(
        DisputeCase.objects.filter(state__in=PERIOD_STATES, due_date__lte=horizon)
        .select_related("legal_adviser", "node")
        .order_by("due_date", "pk")
    )
    leads = {
        row.case_id: row.user
        for row in CaseMediator.objects.filter(case__in=[c.pk for c in cases], lead=True).select_related("user")
    }
    sent = 0
    with transaction.atomic():
        for case in cases:
            assert case.due_date is not None  # filtered on due_date above
            status = due_status(case, today=today)
            kind = "overdue" if status.level == "overdue" else "soon"
            subject = f"调解案件{'已超期' if kind == 'overdue' else '即将到期'}:{case.number}"
            body = f"“{case.title}”({case.node.label})调解期限 {case.due_date:%Y年%m月%d日},{status.label}。"
            recipients = {u.pk: u for u in (leads.get(case.pk), case.legal_adviser) if u is not None and u.is_active}
            for user in recipients.values():
                notify_user(
                    user,
                    subject,
                    body,
                    reverse("mediation:case", args=[case.pk]),
                    # Overdue warnings repeat weekly; "due soon" once per due date.
                    dedupe_key=f"mediation:{case.pk}:due:{case.due_date:%Y%m%d}:{kind}"
                    + (f":{(today - case.due_date).days // 7}" if kind == "overdue" else "")
                    + f":{user.pk}",
                )
                sent += 1
    return sent


@shared_task(name="grassroots.mediation.tasks.mediation_deadline_reminders")
def mediation_deadline_reminders() -> int:
    return deadline_reminders()
