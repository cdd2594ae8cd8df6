"""Celery tasks of the registration window (appointments and certificates). Thin wrappers: each calls one
idempotent service and returns a count; the services hold the rules. Each keeps the name it had before `tasks`
became a package (the beat schedule and queued messages use it).

Beat schedule (config/settings/base.py, CELERY_BEAT_SCHEDULE):
    "registration-appointments-remind": {
        "task": "grassroots.registration.tasks.remind_appointments",
        "schedule": crontab(hour=16, minute=0),
    }
"""

from __future__ import annotations

from celery import shared_task

from ..services.appointments import appointments_remind
from ..services.certificate_reminders import certificates_remind


@shared_task(name="grassroots.registration.tasks.remind_appointments", ignore_result=True)
def remind_appointments() -> int:
    """Periodic (celery beat, daily): SMS reminders for the next working
    day's bookings. Idempotent: a booking is reminded once."""
    return appointments_remind()


@shared_task(name="grassroots.registration.tasks.remind_certificates", ignore_result=True)
def remind_certificates() -> int:
    """Periodic (celery beat, daily): reminders 60 and 30 days before a
    certificate expires. Idempotent: each reminder is sent once."""
    return certificates_remind()
