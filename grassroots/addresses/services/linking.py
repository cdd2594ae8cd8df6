"""Households point to their standard address (`Household.standard_address`).

A household's free-text address is matched against the standard text of
the room addresses of its own unit, compared after `link_key`: full-width
characters folded, spaces dropped, "号楼"/"幢" read as "栋". Either the whole
standard text matches, or the text without road and door number (older
registers wrote "湖田街道西张村3号楼1单元101室"). Only a single match links;
everything else is listed for a person to decide (`households_unlinked`).
Migration 0002 ran the same rule once over existing households."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import scope_queryset
from grassroots.regions.models import Household

from ..models import Address, Kind

_SYNONYMS = (("号楼", "栋"), ("幢", "栋"), ("单元单元", "单元"))


def link_key(text: str) -> str:
    key = "".join(unicodedata.normalize("NFKC", text or "").split())
    for old, new in _SYNONYMS:
        key = key.replace(old, new)
    return key


def keys_of(address: Address) -> set[str]:
    """The whole standard text, and the text without road and door number."""
    tail = ""
    if address.building:
        tail += f"{address.building}栋"
    if address.unit:
        tail += f"{address.unit}单元"
    if address.room:
        tail += f"{address.room}室"
    road_and_door = f"{address.road}{address.door_number}号"
    place = address.full_text.split(road_and_door, 1)[0]
    return {link_key(address.full_text), link_key(place + tail)}


@dataclass
class LinkReport:
    linked: int = 0
    unlinked: list[Household] = field(default_factory=list)


def households_link(*, actor: Actor, households: QuerySet[Household] | None = None) -> LinkReport:
    """Link every household without a standard address whose text matches
    exactly one room address of its unit."""
    require_capability(actor, Capability.MANAGE_ADDRESSES, "只有街道工作人员可以关联标准地址。")
    rows = households if households is not None else Household.objects.all()
    rows = rows.filter(standard_address__isnull=True).order_by("pk")
    report = LinkReport()
    candidates: dict[int, dict[str, list[int]]] = {}
    pending = list(rows)
    units = {h.unit_id for h in pending}
    for address in Address.objects.filter(node_id__in=units, kind=Kind.ROOM):
        for key in keys_of(address):
            candidates.setdefault(address.node_id, {}).setdefault(key, []).append(address.pk)
    with transaction.atomic():
        for household in pending:
            found = set(candidates.get(household.unit_id, {}).get(link_key(household.address), []))
            if len(found) == 1:
                Household.objects.filter(pk=household.pk).update(standard_address_id=found.pop())
                report.linked += 1
            else:
                report.unlinked.append(household)
        audit_record(
            action=AuditAction.UPDATE,
            actor=user_or_none(actor),
            object_type=Household._meta.label,
            detail={"linked_standard_addresses": report.linked, "unlinked": len(report.unlinked)},
        )
    return report


def households_unlinked(*, user: Any) -> QuerySet[Household]:
    """Households in the user's subtree still without a standard address."""
    return (
        scope_queryset(Household.objects.filter(standard_address__isnull=True), user)
        .select_related("unit")
        .order_by("path", "room", "pk")
    )
