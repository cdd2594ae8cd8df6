"""The economy overview (income by village against projection, companies,
distribution plans) and the income ledger with its entry form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.documents import excel_response
from grassroots.core.forms import submit

from .. import selectors
from ..forms import IncomeForm, YearForm
from ..services import income as services
from .common import export_required, page, record_required, this_year, view_required

PER_PAGE = 50


def _year(request: HttpRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET)
    year = this_year()
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    return form, year


@require_GET
@view_required
def overview(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form, year = _year(request)
    rows = selectors.income_by_village(user=user, year=year)
    total = sum((r.actual for r in rows), Decimal("0.00"))
    income_url = reverse("economy:income")
    chart = {
        "villages": [r.village.label for r in rows],
        "actual": [str(r.actual) for r in rows],
        "projected": [str(r.projected) if r.projected is not None else None for r in rows],
        "urls": [f"{income_url}?year={year}&village={r.village.pk}" for r in rows],
    }
    projected = sum((r.projected or Decimal(0) for r in rows), Decimal("0.00"))
    projects = selectors.project_progress(user=user)
    progress_chart = {
        "names": [p.name for p in projects],
        "progress": [p.progress for p in projects],
        "urls": [reverse("economy:project", args=[p.pk]) for p in projects],
    }
    return page(
        request,
        "economy/overview.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "total": total,
            "projected": projected,
            "companies": list(selectors.companies_visible_to(user=user)),
            "committees": list(selectors.committees_visible_to(user=user)),
            "plans": list(selectors.plans_visible_to(user=user).filter(year=year)),
            "chart": chart,
            "projects": projects,
            "progress_chart": progress_chart,
        },
    )


HEADERS = ["村/社区", "预计收入(元)", "实际收入(元)", "完成率(%)"]
ENTRY_HEADERS = ["月份", "村/社区", "收入来源", "项目", "金额(元)", "备注"]


@require_GET
@export_required
def income_export(request: HttpRequest) -> HttpResponse:
    """The year's projected against actual income per village, then every
    entry (an audited export of the user's subtree)."""
    user = current_user(request)
    _form, year = _year(request)
    rows: list[list[Any]] = [
        [r.village.label, r.projected, r.actual, r.rate] for r in selectors.income_by_village(user=user, year=year)
    ]
    rows.append([])
    rows.append(ENTRY_HEADERS)
    rows += [
        [f"{e.month:%Y-%m}", e.village.label, e.get_source_display(), e.project, e.amount, e.note]
        for e in selectors.income_filtered(user=user, year=year)
    ]
    return excel_response(
        filename=f"集体收入-{year}.xlsx",
        sheet_title=f"{year}年集体收入",
        headers=HEADERS,
        rows=rows,
        user=request.user,
        request=request,
        object_type="economy.income",
        detail={"year": year},
    )


@require_GET
@view_required
def income_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form, year = _year(request)
    villages = {v.pk: v for v in selectors.villages_of(user=user)}
    village = villages.get(int(request.GET["village"])) if request.GET.get("village", "").isdigit() else None
    rows = selectors.income_filtered(user=user, year=year, village=village)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return page(
        request,
        "economy/income_list.html",
        {"form": form, "year": year, "village": village, "page": paged, "items": list(paged.object_list)},
    )


@require_http_methods(["GET", "POST"])
@record_required
def income_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = IncomeForm(request.POST or None, villages=selectors.villages_of(user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: services.income_record(
                actor=user,
                village=form.villages[data["village"]],
                month=data["month"],
                source=data["source"],
                amount=data["amount"],
                project=data.get("project") or "",
                note=data.get("note") or "",
            ),
            done="收入已登记。",
            then=lambda e: redirect(f"{reverse('economy:income')}?year={e.month.year}"),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "economy/income_form.html", {"form": form}, status=status)
