"""1+1+N: people's mediation committees, the legal adviser of each grid
(网格+法律顾问), and the team assigned to a case (one committee, one legal
adviser, N mediators)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.notifications.services import notify_user
from grassroots.core.scoping import path_in_scope
from grassroots.regions.models import Level, Node

from .. import permissions
from ..errors import MediationError, StaleState
from ..models import CaseMediator, Committee, DisputeCase, EventKind, GridAdviser
from ..states import Activity
from .events import event_append
from .workflow import _check_activity

MAX_MEDIATORS = 9


def _works_at(user: Any, path: str) -> bool:
    """An active user whose jurisdiction contains `path` (so they can see the case)."""
    node = getattr(user, "jurisdiction", None)
    return bool(user is not None and user.is_active and node is not None and path.startswith(node.path))


def committee_create(*, actor: Actor, name: str, node: Node) -> Committee:
    if not permissions.can_manage(actor):
        raise PermissionDenied("只有调解中心工作人员可以设立调委会。")
    if not path_in_scope(node.path, actor):
        raise NotFound("未找到该辖区,或不在您的辖区内。")
    if node.level > Level.VILLAGE:
        raise MediationError("committee_node_invalid", "调委会设在街道或村/社区。", field="node")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise MediationError("name_required", "请填写调委会名称(不超过 100 字)。", field="name")
    if Committee.objects.filter(name=name).exists():
        raise MediationError("name_taken", "已有同名的调委会。", field="name")
    with transaction.atomic():
        committee = Committee.objects.create(name=name, node=node)
        audit_record(action=AuditAction.CREATE, actor=actor, obj=committee)
    return committee


def grid_adviser_assign(*, actor: Actor, grid: Node, adviser: Any) -> GridAdviser:
    """Make `adviser` the legal adviser of `grid`; the previous one's
    assignment ends today (kept as history)."""
    if not permissions.can_manage(actor):
        raise PermissionDenied("只有调解中心工作人员可以指派网格法律顾问。")
    if not path_in_scope(grid.path, actor):
        raise NotFound("未找到该网格,或不在您的辖区内。")
    if grid.level != Level.GRID:
        raise MediationError("grid_invalid", "请选择一个网格。", field="grid")
    if adviser is None or adviser.role not in permissions.ADVISER_ROLES or not _works_at(adviser, grid.path):
        raise MediationError("adviser_invalid", "请选择辖区包含该网格的在岗法律顾问。", field="adviser")
    today = timezone.localdate()
    current = GridAdviser.objects.filter(grid=grid, until__isnull=True).first()
    if current is not None and current.adviser_id == adviser.pk:
        return current
    try:
        with transaction.atomic():
            if current is not None:
                GridAdviser.objects.filter(pk=current.pk, until__isnull=True).update(until=today)
            assignment = GridAdviser.objects.create(grid=grid, adviser=adviser, since=today)
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                obj=assignment,
                detail={"grid": grid.pk, "adviser": adviser.pk, "previous": current.adviser_id if current else None},
            )
    except IntegrityError as exc:
        raise MediationError("stale_assignment", "该网格的法律顾问刚被他人调整,请刷新后重试。") from exc
    return assignment


def dispute_assign_team(
    *,
    actor: Actor,
    case: DisputeCase,
    committee: Committee,
    legal_adviser: Any,
    mediators: list[Any],
    lead: Any = None,
) -> DisputeCase:
    """Assign (or replace) the case's 1+1+N team. New members are notified."""
    permissions.require_manage(actor, case)
    _check_activity(Activity.ASSIGN_TEAM, case)
    if committee is None or not committee.active or not case.path.startswith(committee.path):
        raise MediationError("committee_invalid", "请选择负责纠纷发生地的调委会。", field="committee")
    if (
        legal_adviser is None
        or legal_adviser.role not in permissions.ADVISER_ROLES
        or not _works_at(legal_adviser, case.path)
    ):
        raise MediationError("adviser_invalid", "请选择辖区包含纠纷发生地的法律顾问。", field="legal_adviser")
    unique = list({m.pk: m for m in mediators if m is not None}.values())
    if not unique:
        raise MediationError("mediators_required", "请至少选择一名调解员。", field="mediators")
    if len(unique) > MAX_MEDIATORS:
        raise MediationError("too_many_mediators", f"调解员不能超过 {MAX_MEDIATORS} 名。", field="mediators")
    for mediator in unique:
        if mediator.role not in permissions.MEDIATOR_ROLES or not _works_at(mediator, case.path):
            raise MediationError(
                "mediator_invalid", f"“{mediator}”不是辖区包含纠纷发生地的在岗调解员。", field="mediators"
            )
    lead = lead if lead is not None else unique[0]
    if lead.pk not in {m.pk for m in unique}:
        raise MediationError("lead_invalid", "主调解员须是所选调解员之一。", field="lead")
    before = permissions.team_ids(case)
    with transaction.atomic():
        if (
            DisputeCase.objects.filter(pk=case.pk, state=case.state).update(
                committee=committee, legal_adviser=legal_adviser, updated_at=timezone.now()
            )
            != 1
        ):
            raise StaleState()
        case.committee, case.legal_adviser = committee, legal_adviser
        CaseMediator.objects.filter(case=case).exclude(user__in=unique).delete()
        CaseMediator.objects.filter(case=case).update(lead=False)
        for mediator in unique:
            CaseMediator.objects.update_or_create(case=case, user=mediator, defaults={"lead": mediator.pk == lead.pk})
        names = "、".join(str(m) for m in unique)
        event = event_append(
            case=case,
            kind=EventKind.TEAM,
            actor=actor,
            text=f"调委会:{committee};法律顾问:{legal_adviser};调解员:{names}(主调:{lead})",
            data={"committee": committee.pk, "legal_adviser": legal_adviser.pk, "mediators": [m.pk for m in unique]},
        )
        link = reverse("mediation:case", args=[case.pk])
        for member in [legal_adviser, *unique]:
            if member.pk not in before:
                notify_user(
                    member,
                    f"新的调解案件 {case.number}",
                    f"您已被指派参与调解“{case.title}”({case.node.label})。",
                    link,
                    dedupe_key=f"mediation:{case.pk}:event:{event.pk}:team:{member.pk}",
                )
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=case, detail={"team": event.data})
    case._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    return case
