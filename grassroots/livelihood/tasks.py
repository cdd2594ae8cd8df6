"""Celery tasks of the livelihood app."""

from __future__ import annotations

from celery import shared_task

from .services.reminders import birthday_lists_remind


@shared_task(ignore_result=True)
def remind_birthday_lists() -> int:
    """Monthly (celery beat, the 1st): tell each grid worker how many people
    are on their grid's birthday list this month; idempotent per grid and
    month. The number of reminders sent."""
    return birthday_lists_remind()
