"""A park project's tenant pipeline (招商入驻) on the workflow engine:
register an intended tenant with its area and rent, then sign, settle or
withdraw (states.TENANT_TABLE)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.db import transaction

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can, require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import PermissionDenied
from grassroots.core.scoping import require_in_scope
from grassroots.core.workflow import Workflow, event_row

from ..errors import EconomyConflict, EconomyError
from ..models import KeyProject, Tenant, TenantEvent
from ..states import TENANT_TABLE, TenantAction, TenantState
from .allocation import FEN

DENIED = "只有街道经管站可以维护园区招商。"


def _not_allowed(action: str, state: str) -> EconomyConflict:
    return EconomyConflict(
        "transition_not_allowed", f"企业当前为“{TenantState(state).label}”,不能{TenantAction(action).label}。"
    )


WORKFLOW: Workflow[Tenant] = Workflow(
    model=Tenant,
    table=TENANT_TABLE,
    not_allowed=_not_allowed,
    stale=lambda: EconomyConflict("stale_state", "企业状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda tenant: {"company": tenant.company},
)


def _permission(actor: Actor, tenant: Tenant) -> None:
    require_in_scope(actor, tenant)
    if not actor_can(actor, Capability.MANAGE_ECONOMY):
        raise PermissionDenied(DENIED)


def tenant_create(
    *, actor: Actor, project: KeyProject, company: str, area_m2: Decimal, annual_rent: Decimal = Decimal("0")
) -> Tenant:
    require_in_scope(actor, project)
    require_capability(actor, Capability.MANAGE_ECONOMY, DENIED)
    company = company.strip()
    if not company:
        raise EconomyError("company_required", "请填写企业名称。", field="company")
    if area_m2 <= 0 or area_m2 != area_m2.quantize(FEN):
        raise EconomyError("area_invalid", "面积应为大于零的数,最多两位小数。", field="area_m2")
    if annual_rent < 0 or annual_rent != annual_rent.quantize(FEN):
        raise EconomyError("rent_invalid", "年租金应为不小于零、精确到分的金额。", field="annual_rent")
    with transaction.atomic():
        tenant = Tenant.objects.create(project=project, company=company, area_m2=area_m2, annual_rent=annual_rent)
        TenantEvent.objects.create(tenant=tenant, action="create", to_state=tenant.state, actor=user_or_none(actor))
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=tenant, detail={"company": company})
    return tenant


def tenant_act(*, actor: Actor, tenant: Tenant, action: str) -> Tenant:
    """Sign, settle or withdraw (one service for the three table moves)."""
    if action not in TenantAction.values:
        raise EconomyError("action_invalid", "无效的操作。")
    return WORKFLOW.transition(
        tenant,
        action=action,
        actor=actor,
        permission=partial(_permission, actor, tenant),
        event=event_row(TenantEvent, "tenant", action=action, actor=actor),
    )
