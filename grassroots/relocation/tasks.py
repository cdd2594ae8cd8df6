"""Celery tasks of the relocation ledger. None is scheduled: the daily
report's "yesterday" comes from the stage dates, so no nightly snapshot is
needed (ADR 0041). `units_import_file` lets an operator run a large import
off the request."""

from __future__ import annotations

from celery import shared_task

from grassroots.core.actors import SYSTEM

from .models import Project
from .services.imports import units_import


@shared_task(ignore_result=True)
def units_import_file(project_id: int, path: str) -> int:
    """Import the units in the .xlsx at `path` into the project, all or nothing."""
    with open(path, "rb") as upload:
        return units_import(actor=SYSTEM, project=Project.objects.get(pk=project_id), upload=upload)
