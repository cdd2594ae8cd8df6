"""Verification campaigns (核采): the subdistrict opens one over a subtree;
the addresses not yet verified there are split into one batch per grid,
collected by that grid's worker; the subdistrict signs a batch off (every
village-verified address in it) and closes the campaign when it is done."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability, Role
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.regions.models import Level, Node

from ..errors import AddressConflict, AddressError
from ..models import Address, Batch, Campaign
from ..states import State
from .addresses import address_sign_off

MAX_TITLE = 100


def _overlapping(node: Node) -> Q:
    """Open campaigns over `node`'s subtree, an ancestor's or a descendant's."""
    step = Node.steplen
    ancestors = [node.path[:end] for end in range(step, len(node.path) + 1, step)]
    return Q(closed_at__isnull=True) & (Q(path__in=ancestors) | Q(path__startswith=node.path))


def campaign_open(*, actor: Actor, node: Node, title: str, due_on: datetime.date | None = None) -> Campaign:
    """Open a campaign over `node` (a subdistrict or a village): one batch per
    grid, each with the grid's worker, holding the grid's addresses that are
    not verified yet."""
    require_in_scope(actor, node)
    require_capability(actor, Capability.MANAGE_ADDRESSES, "只有街道工作人员可以开展地址核采。")
    title = " ".join((title or "").split())
    if not title:
        raise AddressError("title_required", "请填写核采名称。", field="title")
    if len(title) > MAX_TITLE:
        raise AddressError("title_too_long", f"核采名称不能超过 {MAX_TITLE} 个字。", field="title")
    if node.level not in (Level.SUBDISTRICT, Level.VILLAGE):
        raise AddressError("node_level", "核采范围须是街道或村/社区。", field="node")
    if due_on is not None and due_on < timezone.localdate():
        raise AddressError("due_in_past", "计划完成日期不能早于今天。", field="due_on")
    with transaction.atomic():
        if Campaign.objects.filter(_overlapping(node)).exists():
            raise AddressConflict("campaign_overlap", "该范围内已有未结束的地址核采。")
        campaign = Campaign.objects.create(title=title, node=node, due_on=due_on, opened_by=user_or_none(actor))
        grids = list(Node.objects.filter(path__startswith=node.path, level=Level.GRID).order_by("path"))
        workers = {
            u.jurisdiction_id: u
            for u in User.objects.filter(role=Role.GRID_WORKER, is_active=True, jurisdiction__in=grids).order_by("-id")
        }
        batches = Batch.objects.bulk_create(
            [Batch(campaign=campaign, grid=g, worker=workers.get(g.pk), path=g.path) for g in grids]
        )
        covered = 0
        for batch in batches:
            covered += (
                Address.objects.filter(path__startswith=batch.path)
                .exclude(state=State.VERIFIED)
                .update(batch=batch, updated_at=timezone.now())
            )
        audit_record(
            action=AuditAction.CREATE,
            actor=user_or_none(actor),
            obj=campaign,
            detail={"title": title, "batches": len(batches), "addresses": covered},
        )
    return campaign


def campaign_close(*, actor: Actor, campaign: Campaign) -> Campaign:
    require_in_scope(actor, campaign)
    require_capability(actor, Capability.MANAGE_ADDRESSES, "只有街道工作人员可以结束地址核采。")
    with transaction.atomic():
        if (
            Campaign.objects.filter(pk=campaign.pk, closed_at__isnull=True).update(
                closed_at=timezone.now(), closed_by=user_or_none(actor)
            )
            != 1
        ):
            raise AddressConflict("campaign_closed", "该地址核采已经结束。")
        campaign.refresh_from_db()
        audit_record(action=AuditAction.UPDATE, actor=user_or_none(actor), obj=campaign, detail={"closed": True})
    return campaign


def batch_sign_off(*, actor: Actor, batch: Batch) -> int:
    """Sign off every village-verified address of a batch; the number signed off."""
    require_in_scope(actor, batch)
    require_capability(actor, Capability.MANAGE_ADDRESSES, "只有街道工作人员可以审定地址。")
    if not batch.campaign.is_open:
        raise AddressConflict("campaign_closed", "该地址核采已经结束。")
    done = 0
    with transaction.atomic():
        for address in batch.addresses.filter(state=State.VILLAGE_VERIFIED).order_by("pk"):
            address_sign_off(actor=actor, address=address)
            done += 1
    return done
