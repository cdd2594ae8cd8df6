"""Reads of the safety inspections, always scoped to the user's subtree: the
premises register with its search and filters, one premises with its record,
the places a user may register premises at, and a standard address found by
its text; the statistics in .statistics."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.addresses.models import Address
from grassroots.addresses.selectors import addresses_visible_to
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.core.search import search_matches
from grassroots.regions.models import Level, Node

from ..models import (
    NINE_SMALL,
    Campaign,
    Checklist,
    ChecklistVersion,
    Hazard,
    HazardEvent,
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    Premises,
    PremisesEvent,
)
from ..services.premises import PLACE_LEVELS, SEARCH_TYPE
from ..states import HazardState
from .statistics import MonthRow as MonthRow
from .statistics import Statistics as Statistics
from .statistics import StatRow as StatRow
from .statistics import safety_statistics as safety_statistics

# The filter value that stands for all 九小场所 kinds.
NINE_SMALL_FILTER = "nine_small"


def premises_visible_to(*, user: Any) -> QuerySet[Premises]:
    return scope_queryset(Premises.objects.select_related("node", "address"), user)


def premises_get_visible(*, user: Any, pk: Any) -> Premises:
    return get_in_scope_or_404(premises_visible_to(user=user).select_related("created_by"), user, pk=pk)


def premises_filtered(
    *,
    user: Any,
    query: str = "",
    kind: str = "",
    risk_level: str = "",
    state: str = "",
    village: Node | None = None,
) -> QuerySet[Premises]:
    """The register as a list shows it: the search (bigram index, two
    characters are enough) and the filters, in register order."""
    rows = premises_visible_to(user=user)
    query = (query or "").strip()
    if query:
        rows = rows.filter(
            pk__in=search_matches(query=query, obj_type=SEARCH_TYPE, path_prefix=user_scope_path(user) or None)
        )
    if kind == NINE_SMALL_FILTER:
        rows = rows.filter(kind__in=NINE_SMALL)
    elif kind:
        rows = rows.filter(kind=kind)
    if risk_level:
        rows = rows.filter(risk_level=risk_level)
    if state:
        rows = rows.filter(state=state)
    if village is not None:
        rows = rows.filter(path__startswith=village.path)
    return rows.order_by("path", "name", "id")


def premises_events(*, premises: Premises) -> QuerySet[PremisesEvent]:
    return premises.events.select_related("actor").order_by("created_at", "id")


def places_of(*, user: Any) -> list[Node]:
    """Where the user may register premises: the villages and grids of their subtree."""
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    return list(Node.objects.filter(path__startswith=prefix, level__in=PLACE_LEVELS).order_by("path"))


def villages_of(*, user: Any) -> list[Node]:
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    return list(Node.objects.filter(path__startswith=prefix, level=Level.VILLAGE).order_by("path"))


def address_by_text(*, user: Any, text: str) -> Address | None:
    """The standard address in the user's subtree whose text is exactly `text`."""
    text = (text or "").strip()
    if not text:
        return None
    return addresses_visible_to(user=user).filter(full_text=text).first()


# --- checklists ---------------------------------------------------------------


def checklists_all() -> list[Checklist]:
    """Every checklist with its versions (newest first) and their items."""
    return list(
        Checklist.objects.prefetch_related(
            Prefetch("versions", queryset=ChecklistVersion.objects.order_by("-number").prefetch_related("items"))
        ).order_by("title", "id")
    )


def checklist_get(*, pk: Any) -> Checklist:
    for checklist in Checklist.objects.filter(pk=pk).prefetch_related(
        Prefetch("versions", queryset=ChecklistVersion.objects.order_by("-number").prefetch_related("items"))
    ):
        return checklist
    raise Http404("未找到该检查表。")


def version_in_force(*, checklist: Checklist) -> ChecklistVersion | None:
    return checklist.versions.order_by("-number").first()


def versions_for_kind(*, kind: str) -> list[ChecklistVersion]:
    """The versions in force of the checklists that apply to premises of `kind`."""
    found: list[ChecklistVersion] = []
    for checklist in Checklist.objects.order_by("title", "id"):
        if kind in (checklist.kinds or []):
            version = version_in_force(checklist=checklist)
            if version is not None:
                found.append(version)
    return found


# --- inspections --------------------------------------------------------------


def inspections_visible_to(*, user: Any) -> QuerySet[Inspection]:
    return scope_queryset(Inspection.objects.select_related("premises", "version__checklist"), user)


def inspection_get_visible(*, user: Any, pk: Any) -> Inspection:
    return get_in_scope_or_404(
        inspections_visible_to(user=user)
        .select_related("recorded_by", "premises__node")
        .prefetch_related("inspectors", "photos", Prefetch("answers", queryset=_answers_in_order())),
        user,
        pk=pk,
    )


def inspections_filtered(
    *,
    user: Any,
    premises: Premises | None = None,
    campaign: Campaign | None = None,
    node: Node | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Inspection]:
    """Inspections in the user's subtree, newest first: of one premises,
    counting for one campaign (its place, kinds and window), under one
    node, between two days (inclusive)."""
    rows = inspections_visible_to(user=user).select_related("premises__node").prefetch_related("inspectors")
    if premises is not None:
        rows = rows.filter(premises=premises)
    if campaign is not None:
        rows = rows.filter(
            path__startswith=campaign.path,
            inspected_at__date__gte=campaign.starts_on,
            inspected_at__date__lte=campaign.due_on,
        )
        if campaign.kinds:
            rows = rows.filter(premises__kind__in=campaign.kinds)
    if node is not None:
        rows = rows.filter(path__startswith=node.path)
    if date_from is not None:
        rows = rows.filter(inspected_at__date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(inspected_at__date__lte=date_to)
    return rows.order_by("-inspected_at", "-id")


def _answers_in_order() -> QuerySet[InspectionAnswer]:
    return InspectionAnswer.objects.select_related("item").order_by("item__position")


def premises_inspections(*, premises: Premises) -> QuerySet[Inspection]:
    """A premises' inspection history, newest first."""
    return (
        premises.inspections.select_related("version__checklist")
        .prefetch_related("inspectors")
        .order_by("-inspected_at", "-id")
    )


def inspection_photo_visible(*, user: Any, pk: Any) -> InspectionPhoto:
    return get_in_scope_or_404(
        InspectionPhoto.objects.select_related("inspection"), user, path_field="inspection__path", pk=pk
    )


def inspectors_for(*, premises: Premises) -> list[User]:
    """Who may be named as an inspector of the premises: active users who
    inspect and whose jurisdiction is the premises' place or above it."""
    step = Node.steplen
    ancestors = [premises.path[:end] for end in range(step, len(premises.path) + 1, step)]
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.INSPECT_SAFETY in caps]
    return list(
        User.objects.filter(is_active=True, role__in=roles, jurisdiction__path__in=ancestors)
        .select_related("jurisdiction")
        .order_by("-jurisdiction__depth", "display_name", "id")
    )


# --- hazards ------------------------------------------------------------------


def hazards_visible_to(*, user: Any) -> QuerySet[Hazard]:
    return scope_queryset(Hazard.objects.select_related("premises", "premises__node"), user)


def hazards_filtered(*, user: Any, state: str = "", overdue: bool = False, today: Any = None) -> QuerySet[Hazard]:
    rows = hazards_visible_to(user=user)
    if state:
        rows = rows.filter(state=state)
    if overdue:
        rows = rows.filter(state=HazardState.NOTICE_ISSUED, deadline__lt=today)
    return rows.order_by("-created_at", "-id")


def hazard_get_visible(*, user: Any, pk: Any) -> Hazard:
    return get_in_scope_or_404(
        hazards_visible_to(user=user).select_related("inspection", "item", "created_by", "premises__address", "matter"),
        user,
        pk=pk,
    )


def lead_premises(*, user: Any, village_path: str, limit: int = 50) -> list[Premises]:
    """Premises in use in a matter's village the user may pick for a hazard lead."""
    rows = premises_visible_to(user=user).filter(path__startswith=village_path, state="operating")
    return list(rows.order_by("name", "id")[:limit])


def hazard_events(*, hazard: Hazard) -> QuerySet[HazardEvent]:
    return hazard.events.select_related("actor").order_by("created_at", "id")


def hazard_public(*, code: str) -> Hazard:
    """A hazard by the code its notice's QR code carries (no scope: the
    public page shows only the premises' name, the item and the status)."""
    try:
        return Hazard.objects.select_related("premises").get(public_code=code)
    except Hazard.DoesNotExist as exc:
        raise Http404("未找到该整改通知。") from exc


def inspection_hazards(*, inspection: Inspection) -> dict[int, Hazard]:
    """The hazards raised from an inspection, by checklist item."""
    return {h.item_id: h for h in inspection.hazards.all() if h.item_id is not None}


# --- campaigns ----------------------------------------------------------------


def campaigns_visible_to(*, user: Any) -> QuerySet[Campaign]:
    """Campaigns over the user's place, above it or inside their subtree (a
    grid worker sees the subdistrict's sweep their grid is part of)."""
    prefix = user_scope_path(user)
    if prefix is None:
        return Campaign.objects.none()
    rows = Campaign.objects.select_related("node")
    if prefix == "":
        return rows
    step = Node.steplen
    ancestors = [prefix[:end] for end in range(step, len(prefix) + 1, step)]
    return rows.filter(Q(path__startswith=prefix) | Q(path__in=ancestors))


def campaign_get_visible(*, user: Any, pk: Any) -> Campaign:
    try:
        return campaigns_visible_to(user=user).get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404("未找到该专项检查,或您无权查看。") from exc


@dataclass
class Coverage:
    label: str
    total: int = 0
    done: int = 0
    grids: list[Coverage] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0


def campaign_coverage(*, campaign: Campaign, user: Any) -> tuple[Coverage, list[Coverage], list[Premises]]:
    """The campaign's premises in the user's part of it: inspected in the
    window / all, per village and grid; and the first premises still to do."""
    rows = premises_visible_to(user=user).filter(path__startswith=campaign.path, state="operating")
    if campaign.kinds:
        rows = rows.filter(kind__in=campaign.kinds)
    done_ids = set(
        Inspection.objects.filter(
            premises__in=rows,
            inspected_at__date__gte=campaign.starts_on,
            inspected_at__date__lte=campaign.due_on,
        ).values_list("premises_id", flat=True)
    )
    step = Node.steplen
    pairs = list(rows.values_list("pk", "path"))
    labels = {
        n.path: str(n.label)
        for n in Node.objects.filter(path__in={p[: 2 * step] for _pk, p in pairs} | {p[: 3 * step] for _pk, p in pairs})
    }
    total = Coverage(label=campaign.title)
    villages: dict[str, Coverage] = {}
    grids: dict[str, Coverage] = {}
    for pk, path in sorted(pairs, key=lambda pair: pair[1]):
        village = villages.setdefault(path[: 2 * step], Coverage(label=labels.get(path[: 2 * step], "")))
        targets = [total, village]
        if len(path) >= 3 * step:
            grid_path = path[: 3 * step]
            if grid_path not in grids:
                grids[grid_path] = Coverage(label=labels.get(grid_path, ""))
                village.grids.append(grids[grid_path])
            targets.append(grids[grid_path])
        for target in targets:
            target.total += 1
            target.done += 1 if pk in done_ids else 0
    todo = list(rows.exclude(pk__in=done_ids).order_by("path", "name")[:30])
    return total, list(villages.values()), todo
