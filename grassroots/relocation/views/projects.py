"""The relocation projects with their live signing rates, a project's
dashboard (stages with yesterday's change, the rate per batch, village and
worker, the signing curve: every figure links to its rows), the daily report
as PDF and Excel, and the Excel imports. Every figure is an aggregate query
over the units the user may see."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.documents import excel_response, pdf_response
from grassroots.core.errors import DomainError

from .. import selectors
from ..forms import BatchForm, ImportForm, ProjectForm
from ..models import Project
from ..selectors import progress
from ..services import imports
from ..services.projects import ProjectInput, batch_add, project_create
from .common import manage_required, page, view_required


@require_GET
@view_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    projects = list(selectors.projects_visible_to(user=user))
    rates = progress.projects_rates(user=user, projects=projects)
    items = [{"project": p, "row": rates.get(p.pk)} for p in projects]
    return page(request, "relocation/projects.html", {"items": items, "rounding": progress.ROUNDING_NOTE})


def _figures(request: HttpRequest, project: Project) -> dict[str, Any]:
    board = progress.dashboard(user=request.user, project=project, day=timezone.localdate())
    figures = board.figures
    return {
        "project": project,
        "summary": figures.summary,
        "batches": figures.batches,
        "villages": figures.villages,
        "workers": figures.workers,
        "curve": board.curve,
        "rounding": progress.ROUNDING_NOTE,
    }


@require_GET
@view_required
def project_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_visible(user=request.user, pk=pk)
    figures = _figures(request, project)
    change = figures["summary"].signed - figures["summary"].signed_yesterday
    rows = {r.key: r for r in figures["batches"]}
    targets = [{"batch": b, "row": rows.get(b.pk)} for b in selectors.batches_of(project=project)]
    context = {**figures, "signed_change": change, "batch_form": BatchForm(), "batch_targets": targets}
    return page(request, "relocation/dashboard.html", context)


def _report_name(project: Project, figures: dict[str, Any], ext: str) -> str:
    return f"{project.name}征迁日报-{figures['summary'].day:%Y%m%d}.{ext}"


@require_GET
@manage_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_visible(user=request.user, pk=pk)
    figures = _figures(request, project)
    name = _report_name(project, figures, "pdf")
    audit_record(action=AuditAction.EXPORT, actor=request.user, request=request, obj=project, detail={"file": name})
    summary = figures["summary"]
    context = {
        **figures,
        "signed_change": summary.signed - summary.signed_yesterday,
        "groups": [
            ("二、按批次", figures["batches"]),
            ("三、按村/社区", figures["villages"]),
            ("四、按包户工作人员", figures["workers"]),
        ],
    }
    return pdf_response(filename=name, template_name="relocation/report_pdf.html", context=context, inline=False)


REPORT_HEADERS = ["类别", "名称", "户数", "已签约户数", "签约率(%)", "昨日累计", "较昨日变化"]


def report_rows(figures: dict[str, Any]) -> list[list[Any]]:
    summary = figures["summary"]
    rows: list[list[Any]] = [
        [
            "项目合计",
            figures["project"].name,
            summary.total,
            summary.signed,
            summary.rate,
            summary.signed_yesterday,
            summary.signed - summary.signed_yesterday,
        ]
    ]
    rows += [["环节(累计达到)", s.label, s.today, "", "", s.yesterday, s.change] for s in summary.stages]
    for label, key in (("批次", "batches"), ("村/社区", "villages"), ("包户工作人员", "workers")):
        rows += [[label, r.label, r.total, r.signed, r.rate, "", ""] for r in figures[key]]
    rows.append(["说明", progress.ROUNDING_NOTE, "", "", "", "", ""])
    return rows


@require_GET
@manage_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_visible(user=request.user, pk=pk)
    figures = _figures(request, project)
    return excel_response(
        filename=_report_name(project, figures, "xlsx"),
        sheet_title="征迁日报",
        headers=REPORT_HEADERS,
        rows=report_rows(figures),
        user=request.user,
        request=request,
        object_type=Project._meta.label,
        detail={"project": project.pk, "day": figures["summary"].day.isoformat()},
    )


def _import(request: HttpRequest, pk: int, *, kind: str) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    run = imports.units_import if kind == "units" else imports.stages_import
    if request.method == "POST" and form.is_valid():
        try:
            count = run(actor=user, project=project, upload=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_domain_error(exc)
            errors = list(getattr(exc, "errors", []))
        else:
            what = "征迁户" if kind == "units" else "条环节进度"
            messages.success(request, f"已导入 {count} {what}。")
            return redirect("relocation:project", pk=project.pk)
    headers = imports.UNIT_HEADERS if kind == "units" else imports.STAGE_HEADERS
    status = 400 if request.method == "POST" else 200
    context = {"project": project, "form": form, "kind": kind, "headers": headers, "errors": errors}
    return page(request, "relocation/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@manage_required
def import_units(request: HttpRequest, pk: int) -> HttpResponse:
    return _import(request, pk, kind="units")


@require_http_methods(["GET", "POST"])
@manage_required
def import_stages(request: HttpRequest, pk: int) -> HttpResponse:
    return _import(request, pk, kind="stages")


@require_http_methods(["GET", "POST"])
@manage_required
def project_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and user.jurisdiction is not None:
        data = ProjectInput(node=user.jurisdiction, **form.cleaned_data)
        try:
            project = project_create(actor=user, data=data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "征迁项目已建立,请添加批次。")
            return redirect("relocation:project", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return page(request, "relocation/project_form.html", {"form": form}, status=status)


@require_http_methods(["POST"])
@manage_required
def batch_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    form = BatchForm(request.POST)
    if form.is_valid():
        try:
            batch = batch_add(actor=user, project=project, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已添加“{batch.name}”(批次号 {batch.number})。")
            return redirect("relocation:project", pk=project.pk)
    messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("relocation:project", pk=project.pk)
