"""Reads of the field app: the snapshot a worker's phone caches (their own
subtree only, people masked as on the server pages: a masked name, the age,
never an ID number, phone or birth date) and the worker's sync items. The
snapshot's query count does not grow with the grid (ADR 0054)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.addresses.models import Address
from grassroots.addresses.selectors import open_batches_of
from grassroots.core.masking import age_on, mask_name
from grassroots.core.scoping import scope_queryset, user_scope_path
from grassroots.livelihood.models import CareFlag, ListKind, VisitKind
from grassroots.livelihood.selectors import care_list, this_month
from grassroots.matters.models import OPEN_STATES, Category, Matter
from grassroots.regions.models import Household, Node, Resident
from grassroots.safety.models import ChecklistVersion, HazardLevel, Premises
from grassroots.safety.selectors import campaigns_visible_to

from .models import SyncItem

# Other apps' state values, as stored (their state modules are their own).
FLAG_ACTIVE = "active"
PREMISES_OPERATING = "operating"
ADDRESS_DONE = "verified"
MAX_MATTERS = 500


def _grid(user: User) -> dict[str, Any]:
    node: Node = user.jurisdiction  # type: ignore[assignment]
    ancestors = [n.label for n in Node.objects.get_ancestors(node)] + [node.label]
    return {"id": node.pk, "name": node.label, "path_label": " / ".join(str(a) for a in ancestors)}


def _households(user: User, today: datetime.date) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Households with their members; and resident → household for the care lists."""
    households = list(scope_queryset(Household.objects.all(), user).order_by("path", "room", "id"))
    residents = scope_queryset(Resident.objects.all(), user).order_by("-is_household_head", "id")
    flags: dict[int, list[str]] = defaultdict(list)
    household_flags: dict[int, list[str]] = defaultdict(list)
    for kind, resident_id, household_id in scope_queryset(CareFlag.objects.filter(state=FLAG_ACTIVE), user).values_list(
        "kind", "resident_id", "household_id"
    ):
        label = str(ListKind(kind).label)
        if resident_id:
            flags[resident_id].append(label)
        else:
            household_flags[household_id].append(label)
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    heads: dict[int, str] = {}
    of_household: dict[int, int] = {}
    for pk, household_id, name, birth, head in residents.values_list(
        "pk", "household_id", "name", "birth_date", "is_household_head"
    ):
        of_household[pk] = household_id
        marks = (["户主"] if head else []) + flags.get(pk, []) + (household_flags.get(household_id, []) if head else [])
        members[household_id].append({"id": pk, "name": mask_name(name), "age": age_on(birth, today), "flags": marks})
        if head or household_id not in heads:
            heads.setdefault(household_id, mask_name(name))
    rows = [
        {"id": h.pk, "address": h.address, "head": heads.get(h.pk, ""), "members": members.get(h.pk, [])}
        for h in households
    ]
    return rows, of_household


def _matters(user: User) -> list[dict[str, Any]]:
    rows = scope_queryset(Matter.objects.filter(state__in=OPEN_STATES), user).order_by("-created_at")[:MAX_MATTERS]
    return [
        {
            "id": m.pk,
            "number": m.number,
            "title": m.title,
            "state": m.state,
            "state_label": m.get_state_display(),
            "household": (m.channel_detail or {}).get("household"),
            "deadline": m.due_date,
        }
        for m in rows.only("pk", "number", "title", "state", "channel_detail", "due_date")
    ]


def _care(user: User, of_household: dict[int, int]) -> list[dict[str, Any]]:
    node: Node = user.jurisdiction  # type: ignore[assignment]
    month = this_month()
    rows = []
    for kind in ListKind:
        for row in care_list(user=user, grid=node, kind=kind, month=month):
            rows.append(
                {
                    "resident": row.pk,
                    "name": mask_name(row.resident.name),
                    "household": of_household.get(row.pk),
                    "list_kind": kind.value,
                    "list_label": str(kind.label),
                    "last_visit": row.visited_on,
                }
            )
    return rows


def _address_tasks(user: User) -> list[dict[str, Any]]:
    batches = {b.pk: b for b in open_batches_of(user=user) if b.worker_id in (None, user.pk)}
    if not batches:
        return []
    rows = scope_queryset(Address.objects.filter(batch__in=list(batches)).exclude(state=ADDRESS_DONE), user)
    return [
        {
            "id": a.pk,
            "text": a.full_text,
            "state": a.state,
            "state_label": a.get_state_display(),
            "batch": {"id": a.batch_id, "name": batches[a.batch_id].campaign.title if a.batch_id else ""},
        }
        for a in rows.order_by("path", "id")
    ]


def _versions_by_kind() -> dict[str, ChecklistVersion]:
    """The newest version of the first checklist (by title) for each premises kind."""
    newest: dict[int, ChecklistVersion] = {}
    for version in ChecklistVersion.objects.select_related("checklist").order_by("checklist__title", "-number"):
        newest.setdefault(version.checklist_id, version)
    by_kind: dict[str, ChecklistVersion] = {}
    for version in newest.values():
        for kind in version.checklist.kinds or []:
            by_kind.setdefault(kind, version)
    return by_kind


def _premises(user: User, today: datetime.date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    start = today.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    campaigns = list(campaigns_visible_to(user=user).filter(starts_on__lte=end, due_on__gte=start))
    if not campaigns:
        return [], []
    planned = Q()
    for campaign in campaigns:
        planned |= Q(path__startswith=campaign.path, **({"kind__in": campaign.kinds} if campaign.kinds else {}))
    premises = scope_queryset(Premises.objects.filter(state=PREMISES_OPERATING), user).filter(planned)
    by_kind = _versions_by_kind()
    rows, used = [], {}
    for p in premises.select_related("address").order_by("path", "name", "id"):
        version = by_kind.get(p.kind)
        if version is not None:
            used[version.pk] = version
        address = p.address.full_text if p.address is not None else p.location
        rows.append({"id": p.pk, "name": p.name, "address": address, "checklist_version": version and version.pk})
    checklists = [
        {
            "version": v.pk,
            "name": f"{v.checklist.title}(第 {v.number} 版)",
            "items": [{"id": i.pk, "text": i.text, "hint": i.legal_basis} for i in v.items.all()],
        }
        for v in ChecklistVersion.objects.filter(pk__in=list(used))
        .select_related("checklist")
        .prefetch_related("items")
        .order_by("pk")
    ]
    return rows, checklists


def field_snapshot(*, user: User) -> dict[str, Any]:
    """Everything the phone caches for `user`'s subtree, generated now."""
    now = timezone.now()
    today = timezone.localdate()
    households, of_household = _households(user, today)
    premises, checklists = _premises(user, today)
    return {
        "generated_at": now,
        "expires_at": now + datetime.timedelta(hours=settings.FIELD_CACHE_HOURS),
        "worker": {"id": user.pk, "name": str(user), "grid": _grid(user)},
        "households": households,
        "matters": _matters(user),
        "care": _care(user, of_household),
        "address_tasks": _address_tasks(user),
        "premises": premises,
        "checklists": checklists,
        "categories": [
            {"id": pk, "name": name}
            for pk, name in Category.objects.filter(active=True).order_by("sort_order", "id").values_list("pk", "name")
        ],
        "options": {
            "photo_max_bytes": settings.FIELD_PHOTO_MAX_BYTES,
            "photo_max_edge": settings.FIELD_PHOTO_MAX_EDGE,
            "photos_per_item": settings.FIELD_PHOTOS_PER_ITEM,
            "care_visit_kinds": [[c, str(label)] for c, label in VisitKind.choices],
            "hazard_levels": [[c, str(label)] for c, label in HazardLevel.choices],
        },
    }


def sync_items_of(*, user: User, status: str = "") -> QuerySet[SyncItem]:
    """The caller's own sync items, newest first."""
    rows = SyncItem.objects.filter(worker=user)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-received_at", "-id")


def sync_items_visible_to(*, user: User) -> QuerySet[SyncItem]:
    """Items of the caller's subtree (supervisors), for the staff page."""
    if user_scope_path(user) is None:
        return SyncItem.objects.none()
    return scope_queryset(SyncItem.objects.select_related("worker"), user).order_by("-received_at", "-id")
