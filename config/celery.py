"""Celery application. Eager (in-process) when CELERY_BROKER_URL is unset, the
embedded default; with `CELERY_BROKER_URL=redis://…` a real worker and beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("grassroots")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
