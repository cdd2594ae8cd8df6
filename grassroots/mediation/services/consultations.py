"""Legal consultations (法律咨询) given by a grid's legal adviser (网格+法律顾问)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import path_in_scope
from grassroots.regions.models import Node

from .. import permissions
from ..errors import MediationError
from ..models import Consultation, ConsultationTopic, GridAdviser

MAX_BACKDATE = datetime.timedelta(days=90)


def consultation_log(
    *,
    actor: User,
    grid: Node,
    consulted_on: datetime.date,
    category: str,
    topic: str,
    asker_name: str,
    advice: str,
) -> Consultation:
    """Log a consultation in one of the adviser's own grids (current assignment)."""
    if not permissions.can_consult(actor):
        raise PermissionDenied("只有法律顾问可以登记法律咨询。")
    if not path_in_scope(grid.path, actor):
        raise NotFound("未找到该网格,或不在您的辖区内。")
    if not GridAdviser.objects.filter(grid=grid, adviser=actor, until__isnull=True).exists():
        raise MediationError("grid_not_assigned", "您不是该网格的法律顾问,只能为自己服务的网格登记咨询。", field="grid")
    today = timezone.localdate()
    if consulted_on is None or consulted_on > today or consulted_on < today - MAX_BACKDATE:
        raise MediationError("consulted_on_invalid", "咨询日期应在最近 90 天内,且不晚于今天。", field="consulted_on")
    if category not in ConsultationTopic.values:
        raise MediationError("category_invalid", "咨询类别无效。", field="category")
    topic = (topic or "").strip()
    if not topic or len(topic) > 100:
        raise MediationError("topic_required", "请填写咨询事项(不超过 100 字)。", field="topic")
    asker_name = (asker_name or "").strip()
    if not asker_name or len(asker_name) > 50:
        raise MediationError("asker_required", "请填写咨询人姓名(不超过 50 字)。", field="asker_name")
    advice = (advice or "").strip()
    if len(advice) < 5 or len(advice) > 3000:
        raise MediationError("advice_required", "请填写解答意见(5 到 3000 字)。", field="advice")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            grid=grid,
            adviser=actor,
            consulted_on=consulted_on,
            category=category,
            topic=topic,
            asker_name=asker_name,
            advice=advice,
        )
        audit_record(action=AuditAction.CREATE, actor=actor, obj=consultation)
    return consultation
