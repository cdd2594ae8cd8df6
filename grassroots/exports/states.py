"""An export request's status as a table, run by the platform's workflow
engine (core/workflow.py): 待审批 → 已批准 / 已驳回; 已批准 → 已下载 on the
first download; 已批准 / 已下载 / 待审批 → 已过期 when its time has passed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class ExportState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    DOWNLOADED = "downloaded", _("已下载")
    EXPIRED = "expired", _("已过期")


class ExportAction(models.TextChoices):
    APPROVE = "approve", _("批准")
    REJECT = "reject", _("驳回")
    DOWNLOAD = "download", _("首次下载")
    EXPIRE = "expire", _("过期")


S = ExportState
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ExportAction.APPROVE: (frozenset({S.REQUESTED}), S.APPROVED),
    ExportAction.REJECT: (frozenset({S.REQUESTED}), S.REJECTED),
    ExportAction.DOWNLOAD: (frozenset({S.APPROVED}), S.DOWNLOADED),
    ExportAction.EXPIRE: (frozenset({S.REQUESTED, S.APPROVED, S.DOWNLOADED}), S.EXPIRED),
}

# Every download after the first keeps the state (and is audited).
EXPORT_TABLE = TransitionTable(TRANSITIONS, activities={"download_again": {S.DOWNLOADED}})
