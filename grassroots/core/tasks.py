"""Celery's `autodiscover_tasks()` imports `<app>.tasks`; the core app's tasks
live in sub-packages, imported here so that workers register them."""

from grassroots.core.notifications.tasks import deliver_notification, retry_unsent_notifications

__all__ = ["deliver_notification", "retry_unsent_notifications"]
