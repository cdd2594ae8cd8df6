"""Opening a sweep campaign (打非治违): a title, the place (a village or the
subdistrict in the actor's subtree), the premises kinds it covers (none:
all), and its window. Village staff and the subdistrict open campaigns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.regions.models import Level, Node

from ..errors import SafetyError
from ..models import Campaign, PremisesKind


@dataclass(frozen=True)
class CampaignInput:
    title: str
    node: Node
    starts_on: datetime.date
    due_on: datetime.date
    kinds: list[str] = field(default_factory=list)


def campaign_open(*, actor: Actor, data: CampaignInput) -> Campaign:
    require_in_scope(actor, data.node)
    require_capability(actor, Capability.MANAGE_SAFETY, "只有村/社区或街道工作人员可以开展专项检查。")
    title = (data.title or "").strip()
    if not title:
        raise SafetyError("title_required", "请填写行动名称。", field="title")
    if data.node.level not in (Level.SUBDISTRICT, Level.VILLAGE):
        raise SafetyError("node_level", "专项检查的范围应为街道或村/社区。", field="node")
    if data.due_on < data.starts_on:
        raise SafetyError("dates", "完成期限不能早于开始日期。", field="due_on")
    unknown = set(data.kinds) - set(PremisesKind.values)
    if unknown:
        raise SafetyError("kinds_invalid", "所选场所类型无效。", field="kinds")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title,
            node=data.node,
            kinds=sorted(set(data.kinds)),
            starts_on=data.starts_on,
            due_on=data.due_on,
            opened_by=user_or_none(actor),
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=campaign, detail={"title": title})
    return campaign
