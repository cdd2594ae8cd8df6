"""Visits and health rounds, recorded on a phone. A visit is made to a
resident on a care list (a birthday visit, a gift delivery, a care visit);
an opinion collected at it becomes a 说事 matter in one step, through
matters' own intake service (channel 网格员入户走访, at the resident's grid)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.scoping import require_in_scope
from grassroots.core.validators import normalise_mobile_number
from grassroots.matters.models import Channel, Matter
from grassroots.matters.services.intake import MatterInput, matter_create
from grassroots.regions.models import Level, Node, Resident

from .. import selectors
from ..errors import LivelihoodConflict, LivelihoodError
from ..models import CareVisit, HealthRound, ListKind, VisitKind

# How far back a visit or round may be recorded (a week's notes typed up later).
BACKDATE_DAYS = 60
MAX_SERVED = 10000


def _check_day(day: datetime.date, field: str, what: str) -> None:
    today = timezone.localdate()
    if day > today:
        raise LivelihoodError(f"{field}_future", f"{what}不能晚于今天。", field=field)
    if day < today - datetime.timedelta(days=BACKDATE_DAYS):
        raise LivelihoodError(f"{field}_too_old", f"{what}不能早于 {BACKDATE_DAYS} 天前。", field=field)


def visit_record(
    *,
    actor: Actor,
    resident: Resident,
    list_kind: str,
    kind: str,
    visited_on: datetime.date | None = None,
    note: str = "",
    opinion: str = "",
) -> CareVisit:
    """Record a visit to `resident`, who must be on list `list_kind` (for the
    birthday list: in the visit's month)."""
    require_in_scope(actor, resident)
    require_capability(actor, Capability.RECORD_CARE, "您的角色不能登记关爱走访。")
    if list_kind not in ListKind.values:
        raise LivelihoodError("list_invalid", "名单无效。", field="list_kind")
    if kind not in VisitKind.values:
        raise LivelihoodError("kind_invalid", "走访类型无效。", field="kind")
    visited_on = visited_on or timezone.localdate()
    _check_day(visited_on, "visited_on", "走访日期")
    note, opinion = (note or "").strip(), (opinion or "").strip()
    if len(note) > 500:
        raise LivelihoodError("note_too_long", "走访情况不能超过 500 个字。", field="note")
    if len(opinion) > 1000:
        raise LivelihoodError("opinion_too_long", "意见建议不能超过 1000 个字。", field="opinion")
    if not selectors.on_list(resident=resident, kind=list_kind, month=visited_on.replace(day=1)):
        raise LivelihoodError("not_on_list", f"该居民不在“{ListKind(list_kind).label}”名单中。", field="list_kind")
    with transaction.atomic():
        visit = CareVisit.objects.create(
            resident=resident,
            list_kind=list_kind,
            kind=kind,
            visited_on=visited_on,
            note=note,
            opinion=opinion,
            visitor=user_or_none(actor),
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=user_or_none(actor),
            obj=visit,
            detail={"list": list_kind, "kind": kind, "opinion": bool(opinion)},
        )
    return visit


def _mobile_or_blank(phone: str) -> str:
    try:
        return normalise_mobile_number(phone) if phone else ""
    except DomainError:
        return ""


def visit_to_matter(*, actor: Actor, visit: CareVisit, title: str = "") -> Matter:
    """The opinion collected at `visit` becomes a 说事 matter at the resident's
    grid, reported by the resident through the visit channel; once per visit."""
    require_in_scope(actor, visit)
    require_capability(actor, Capability.RECORD_MATTERS, "您的角色不能代群众登记事项。")
    if visit.matter_id is not None:
        raise LivelihoodConflict("already_matter", "这条意见已经转为说事事项。")
    if not visit.opinion:
        raise LivelihoodError("opinion_required", "这次走访没有记录意见建议,无法转为说事。", field="opinion")
    title = (title or "").strip() or visit.opinion.splitlines()[0][:30]
    resident = visit.resident
    description = visit.opinion if len(visit.opinion) >= 5 else f"走访时居民反映:{visit.opinion}"
    with transaction.atomic():
        matter, _created = matter_create(
            data=MatterInput(
                node=selectors.grid_of(resident.path),
                title=title,
                description=description,
                channel=Channel.VISIT,
                location=resident.household.address,
                reporter_resident=resident,
                reporter_name=resident.name,
                reporter_phone=_mobile_or_blank(resident.phone),
                channel_detail={"care_visit": visit.pk, "list": visit.list_kind},
            ),
            actor=actor,
            idempotency_key=f"care-visit-{visit.pk}",
        )
        if CareVisit.objects.filter(pk=visit.pk, matter__isnull=True).update(matter=matter) != 1:
            raise LivelihoodConflict("already_matter", "这条意见已经转为说事事项。")
        visit.matter = matter
        audit_record(action=AuditAction.UPDATE, actor=user_or_none(actor), obj=visit, detail={"matter": matter.pk})
    return matter


def health_round_record(
    *,
    actor: Actor,
    node: Node,
    place: str,
    held_on: datetime.date,
    served: int,
    residents: Sequence[Resident] = (),
    note: str = "",
) -> HealthRound:
    """A 健康巡诊 session at a village or grid: the count of people served,
    at least the residents named as seen."""
    require_in_scope(actor, node)
    require_capability(actor, Capability.RECORD_CARE, "您的角色不能登记健康巡诊。")
    if node.level not in (Level.VILLAGE, Level.GRID):
        raise LivelihoodError("node_level", "巡诊地点应为村/社区或网格。", field="node")
    place, note = (place or "").strip(), (note or "").strip()
    if not place:
        raise LivelihoodError("place_required", "请填写巡诊地点。", field="place")
    if len(place) > 100:
        raise LivelihoodError("place_too_long", "巡诊地点不能超过 100 个字。", field="place")
    if len(note) > 500:
        raise LivelihoodError("note_too_long", "备注不能超过 500 个字。", field="note")
    _check_day(held_on, "held_on", "巡诊日期")
    residents = list(dict.fromkeys(residents))
    if any(not r.path.startswith(node.path) for r in residents):
        raise LivelihoodError("resident_elsewhere", "所选居民不在巡诊的村/社区或网格内。", field="residents")
    if not 1 <= served <= MAX_SERVED:
        raise LivelihoodError("served_range", f"服务人数应在 1 到 {MAX_SERVED} 之间。", field="served")
    if served < len(residents):
        raise LivelihoodError("served_below_seen", "服务人数不能少于登记的居民人数。", field="served")
    with transaction.atomic():
        health_round = HealthRound.objects.create(
            node=node, place=place, held_on=held_on, served=served, note=note, recorded_by=user_or_none(actor)
        )
        health_round.residents.set(residents)
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=health_round, detail={"served": served})
    return health_round
