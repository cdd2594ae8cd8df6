"""Celery tasks of the registration window, one module per part. Celery's
autodiscovery imports only this package, so it imports every task."""

from .applications import follow_up_commitments
from .reminders import remind_appointments, remind_certificates

__all__ = ["follow_up_commitments", "remind_appointments", "remind_certificates"]
