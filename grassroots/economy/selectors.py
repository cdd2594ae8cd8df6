"""Reads of the collective economy, always scoped to the user's subtree:
committees, companies with their shares at a date and their history, income
by village and month, projected against actual per village and year, and the
distribution plans with their lines."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.party import selectors as party_selectors
from grassroots.party.models import Branch, BranchKind
from grassroots.publicity.models import Publication
from grassroots.regions.models import Level, Node

from .models import (
    Company,
    DistributionEvent,
    DistributionLine,
    DistributionPlan,
    IncomeEntry,
    IncomeTarget,
    KeyProject,
    LandPlot,
    Shareholding,
    Tenant,
)
from .services.distribution import shares_on


def committees_visible_to(*, user: Any) -> QuerySet[Branch]:
    """The 联村党委 of the user's subtree: party's organisations of that kind,
    the one record (ADR 0045), with their member villages."""
    return (
        party_selectors.branches_visible_to(user=user)
        .filter(kind=BranchKind.JOINT)
        .select_related("node")
        .prefetch_related("villages")
    )


def committee_get_visible(*, user: Any, pk: Any) -> Branch:
    """A 联村党委 in the user's subtree (404 otherwise, and for another kind)."""
    return get_in_scope_or_404(committees_visible_to(user=user), user, pk=pk)


def companies_visible_to(*, user: Any) -> QuerySet[Company]:
    return scope_queryset(Company.objects.select_related("node", "committee"), user)


def company_get_visible(*, user: Any, pk: Any) -> Company:
    return get_in_scope_or_404(companies_visible_to(user=user), user, pk=pk)


def company_shares(*, company: Company, day: datetime.date | None = None) -> list[Shareholding]:
    return shares_on(company=company, day=day or datetime.date.today())


def company_share_history(*, company: Company) -> list[Shareholding]:
    return list(company.shareholdings.select_related("village").order_by("-valid_from", "village__path", "id"))


CENT = Decimal("0.01")


def villages_of(*, user: Any) -> list[Node]:
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    return list(Node.objects.filter(path__startswith=prefix, level=Level.VILLAGE).order_by("path"))


def income_visible_to(*, user: Any) -> QuerySet[IncomeEntry]:
    return scope_queryset(IncomeEntry.objects.select_related("village"), user)


def income_get_visible(*, user: Any, pk: Any) -> IncomeEntry:
    return get_in_scope_or_404(income_visible_to(user=user), user, pk=pk)


def income_filtered(*, user: Any, year: int | None = None, village: Node | None = None) -> QuerySet[IncomeEntry]:
    rows = income_visible_to(user=user)
    if year:
        rows = rows.filter(month__year=year)
    if village is not None:
        rows = rows.filter(path__startswith=village.path)
    return rows.order_by("-month", "path", "source", "id")


@dataclass(frozen=True)
class VillageYear:
    village: Node
    projected: Decimal | None
    actual: Decimal

    @property
    def rate(self) -> Decimal | None:
        """Actual as a percentage of projected (one decimal), or None."""
        if not self.projected:
            return None
        return (self.actual * 100 / self.projected).quantize(Decimal("0.1"))


def income_by_village(*, user: Any, year: int) -> list[VillageYear]:
    """Projected against actual income of each village of the subtree in `year`."""
    villages = villages_of(user=user)
    actual = dict(
        income_visible_to(user=user)
        .filter(month__year=year)
        .values_list("village_id")
        .annotate(total=Sum("amount"))
        .values_list("village_id", "total")
    )
    projected = dict(scope_queryset(IncomeTarget.objects.filter(year=year), user).values_list("village_id", "amount"))
    return [
        # SQLite's SUM loses the scale: amounts are shown to the fen.
        VillageYear(village=v, projected=projected.get(v.pk), actual=Decimal(actual.get(v.pk) or 0).quantize(CENT))
        for v in villages
    ]


def plans_visible_to(*, user: Any) -> QuerySet[DistributionPlan]:
    return scope_queryset(DistributionPlan.objects.select_related("company", "village", "matter"), user)


def plan_get_visible(*, user: Any, pk: Any) -> DistributionPlan:
    return get_in_scope_or_404(plans_visible_to(user=user), user, pk=pk)


def plan_lines(*, plan: DistributionPlan) -> list[DistributionLine]:
    return list(plan.lines.select_related("village").order_by("village__path", "id"))


def plan_events(*, plan: DistributionPlan) -> QuerySet[DistributionEvent]:
    return plan.events.select_related("actor").order_by("created_at", "id")


def plan_publications(*, plan: DistributionPlan) -> list[Publication]:
    """The plan's publications through 晒事 (its matter's 理事方案 and 理事结果),
    oldest first: what the plan page links to (ADR 0045)."""
    if not plan.matter_id:
        return []
    return list(Publication.objects.filter(matter_id=plan.matter_id).order_by("created_at", "id"))


def projects_visible_to(*, user: Any, level: str = "") -> QuerySet[KeyProject]:
    rows = scope_queryset(KeyProject.objects.select_related("node").prefetch_related("milestones"), user)
    if level:
        rows = rows.filter(level=level)
    return rows.annotate(plot_count=Count("plots"), plot_area=Sum("plots__area_mu")).order_by("level", "name", "id")


def project_get_visible(*, user: Any, pk: Any) -> KeyProject:
    rows = KeyProject.objects.select_related("node").prefetch_related("milestones")
    return get_in_scope_or_404(scope_queryset(rows, user), user, pk=pk)


def project_progress(*, user: Any) -> list[KeyProject]:
    """Projects of the subtree with their derived progress (overview chart)."""
    return list(
        scope_queryset(KeyProject.objects.all(), user)
        .only("id", "name", "progress")
        .order_by("-progress", "name", "id")
    )


def plots_visible_to(*, user: Any) -> QuerySet[LandPlot]:
    return scope_queryset(LandPlot.objects.select_related("village", "project"), user)


def plot_get_visible(*, user: Any, pk: Any) -> LandPlot:
    return get_in_scope_or_404(plots_visible_to(user=user), user, pk=pk)


def project_plots(*, user: Any, project: KeyProject) -> list[LandPlot]:
    return list(plots_visible_to(user=user).filter(project=project).order_by("path", "name", "id"))


def tenants_visible_to(*, user: Any) -> QuerySet[Tenant]:
    return scope_queryset(Tenant.objects.select_related("project"), user)


def tenant_get_visible(*, user: Any, pk: Any) -> Tenant:
    return get_in_scope_or_404(tenants_visible_to(user=user), user, pk=pk)


def project_tenants(*, project: KeyProject) -> list[Tenant]:
    return list(project.tenants.order_by("company", "id"))
