"""Celery tasks of the applications part. Thin wrappers: each calls one
idempotent service and returns a count.

Celery's autodiscovery imports only `tasks`; its `__init__` imports this
module. The task keeps the name it had before `tasks` became a package (the
beat schedule and queued messages use it).

Beat schedule (config/settings/base.py, CELERY_BEAT_SCHEDULE):
    "registration-commitments-follow-up": {
        "task": "grassroots.registration.tasks_applications.follow_up_commitments",
        "schedule": crontab(hour=8, minute=30),
    }
"""

from __future__ import annotations

from celery import shared_task

from ..services.commitments import commitments_follow_up


@shared_task(name="grassroots.registration.tasks_applications.follow_up_commitments", ignore_result=True)
def follow_up_commitments() -> int:
    """Periodic (celery beat, daily): an in-app message to window staff for
    every signed commitment (告知承诺) whose verification is due. Idempotent:
    one message per commitment and user."""
    return commitments_follow_up()
