"""The key-project ledger's pages: 区重点/市重大 projects with stage, next
milestone, blockers and leader; a project with its land-clearance plots and
their four parallel stages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError
from grassroots.core.forms import submit
from grassroots.core.inputs import input_from

from .. import selectors
from ..forms import MilestoneForm, MilestoneReachForm, PlotForm, PlotStageForm, ProjectForm, TenantForm
from ..models import KeyProject, PlotStage, ProjectLevel
from ..services import projects as services
from ..services import tenants
from ..services.projects import ProjectInput
from ..states import TENANT_TABLE, TenantAction, TenantState
from .common import manage_required, page, view_required


@require_GET
@view_required
def project_list(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    level = level if level in ProjectLevel.values else ""
    rows = list(selectors.projects_visible_to(user=current_user(request), level=level))
    counts = {value: 0 for value in ProjectLevel.values}
    for row in selectors.projects_visible_to(user=current_user(request)).values_list("level", flat=True):
        counts[row] += 1
    return page(
        request,
        "economy/project_list.html",
        {"projects": rows, "level": level, "levels": [(v, label, counts[v]) for v, label in ProjectLevel.choices]},
    )


@require_http_methods(["GET", "POST"])
@manage_required
def project_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        home = user.jurisdiction
        assert home is not None
        data = input_from(ProjectInput, form.cleaned_data)
        done = submit(
            request,
            form,
            lambda: services.project_save(actor=user, node=home, data=data),
            done="重点项目已登记。",
            then=lambda p: redirect("economy:project", pk=p.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "economy/project_form.html", {"form": form, "project": None}, status=status)


def _detail(
    request: HttpRequest,
    project: KeyProject,
    *,
    plot_form: PlotForm | None = None,
    tenant_form: TenantForm | None = None,
    milestone_form: MilestoneForm | None = None,
    reach_form: MilestoneReachForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    plots = selectors.project_plots(user=user, project=project)
    pipeline = selectors.project_tenants(project=project)
    return page(
        request,
        "economy/project_detail.html",
        {
            "project": project,
            "milestones": list(project.milestones.all()),
            "milestone_form": milestone_form or MilestoneForm(),
            "reach_form": reach_form or MilestoneReachForm(initial={"day": timezone.localdate()}),
            "plots": [
                {"plot": p, "stages": [(s, label, getattr(p, f"{s}_on")) for s, label in PlotStage.choices]}
                for p in plots
            ],
            "plot_form": plot_form or PlotForm(villages=selectors.villages_of(user=user)),
            "stage_choices": PlotStage.choices,
            "tenants": [
                {"tenant": t, "actions": [(a, TenantAction(a).label) for a in TENANT_TABLE.actions_from(t.state)]}
                for t in pipeline
            ],
            "tenant_area": {
                str(label): sum((t.area_m2 for t in pipeline if t.state == value), Decimal(0))
                for value, label in TenantState.choices
                if value != TenantState.WITHDRAWN
            },
            "tenant_form": tenant_form or TenantForm(),
        },
        status=status,
    )


@require_GET
@view_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.project_get_visible(user=request.user, pk=pk))


@require_http_methods(["GET", "POST"])
@manage_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    initial = {f: getattr(project, f) for f in ProjectForm.base_fields}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = input_from(ProjectInput, form.cleaned_data)
        done = submit(
            request,
            form,
            lambda: services.project_save(actor=user, node=project.node, data=data, project=project),
            done="重点项目已更新。",
            then=lambda p: redirect("economy:project", pk=p.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "economy/project_form.html", {"form": form, "project": project}, status=status)


@require_POST
@manage_required
def plot_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    form = PlotForm(request.POST, villages=selectors.villages_of(user=user))
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: services.plot_create(
                actor=user,
                village=form.villages[data["village"]],
                name=data["name"],
                area_mu=data["area_mu"],
                project=project,
            ),
            done="地块已登记。",
            then=lambda _p: redirect("economy:project", pk=project.pk),
        )
        if done is not None:
            return done
    return _detail(request, project, plot_form=form, status=400)


@require_POST
@manage_required
def plot_stage(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    plot = selectors.plot_get_visible(user=user, pk=pk)
    form = PlotStageForm(request.POST)
    if not form.is_valid() or plot.project is None:
        if plot.project is None:
            return redirect("economy:projects")
        return _detail(request, plot.project, status=400)
    services.plot_stage_set(actor=user, plot=plot, stage=form.cleaned_data["stage"], day=form.cleaned_data["day"])
    return redirect("economy:project", pk=plot.project.pk)


@require_POST
@manage_required
def tenant_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    form = TenantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: tenants.tenant_create(
                actor=user,
                project=project,
                company=data["company"],
                area_m2=data["area_m2"],
                annual_rent=data.get("annual_rent") or Decimal("0"),
            ),
            done="意向企业已登记。",
            then=lambda _t: redirect("economy:project", pk=project.pk),
        )
        if done is not None:
            return done
    return _detail(request, project, tenant_form=form, status=400)


def _tenant_view(action: str) -> Any:
    @require_POST
    @manage_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = current_user(request)
        tenant = selectors.tenant_get_visible(user=user, pk=pk)
        try:
            tenants.tenant_act(actor=user, tenant=tenant, action=action)
        except DomainError as exc:
            if exc.status != 409:
                raise
            messages.error(request, exc.message)
            return _detail(request, tenant.project, status=409)
        messages.success(request, f"{tenant.company}:{TenantAction(action).label}。")
        return redirect("economy:project", pk=tenant.project_id)

    view.__name__ = f"tenant_{action}"
    return view


tenant_sign = _tenant_view(TenantAction.SIGN)
tenant_settle = _tenant_view(TenantAction.SETTLE)
tenant_withdraw = _tenant_view(TenantAction.WITHDRAW)
