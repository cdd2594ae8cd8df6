"""The relocation office's edit pages: a project (name, kind, implementer,
description, dates), a batch (name, kind, targets), and the reassignment of
units to another worker (a ticked selection, or all units of a worker in a
batch). Only MANAGE_RELOCATION reaches them; the services refuse an office
that sees the project only from below it (ADR 0046)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError

from .. import selectors
from ..forms import BatchEditForm, ProjectEditForm, ReassignForm
from ..models import Project
from ..permissions import require_edit
from ..services.assignments import ReassignInput, units_reassign
from ..services.projects import BatchEdit, ProjectEdit, batch_update, project_update
from .common import manage_required, page, unit_row

PER_PAGE = 50


def _may_edit(user: Any, project: Project) -> None:
    """The page itself refuses an office that may not change the project (403, like its POST)."""
    try:
        require_edit(user, project)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc


@require_http_methods(["GET", "POST"])
@manage_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    _may_edit(user, project)
    initial = {
        name: getattr(project, name)
        for name in ("name", "kind", "implementer", "description", "start_date", "target_date")
    }
    form = ProjectEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project_update(actor=user, project=project, data=ProjectEdit(**form.cleaned_data))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "征迁项目已保存。")
            return redirect("relocation:project", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return page(request, "relocation/project_edit.html", {"project": project, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@manage_required
def batch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    batch = selectors.batch_get_visible(user=user, pk=pk)
    _may_edit(user, batch.project)
    initial = {name: getattr(batch, name) for name in ("name", "kind", "target_units", "target_rate", "target_date")}
    form = BatchEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch_update(actor=user, batch=batch, data=BatchEdit(**form.cleaned_data))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"“{batch.name}”已保存。")
            return redirect("relocation:project", pk=batch.project_id)
    status = 400 if request.method == "POST" else 200
    context = {"project": batch.project, "batch": batch, "form": form}
    return page(request, "relocation/batch_edit.html", context, status=status)


def _choices(project: Project) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    workers = [
        (u.pk, f"{u}({u.jurisdiction.name if u.jurisdiction else ''} · {u.get_role_display()})")
        for u in selectors.worker_candidates(project=project)
    ]
    batches = [(b.pk, b.name) for b in selectors.batches_of(project=project)]
    return workers, batches


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


@require_http_methods(["GET", "POST"])
@manage_required
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the units of a batch and/or a worker, with checkboxes; POST: move
    the ticked ones (or, with “全部”, all of that worker's units in the batch)."""
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    _may_edit(user, project)
    workers, batches = _choices(project)
    # The list being worked on: from the query string (GET) or the hidden fields (POST).
    source = request.POST if request.method == "POST" else request.GET
    batch, worker = _int(source.get("batch")), _int(source.get("from_worker"))
    form = ReassignForm(
        request.POST or None, workers=workers, batches=batches, initial={"batch": batch, "from_worker": worker}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            whole = request.POST.get("scope") == "all"
            payload = ReassignInput(
                to_worker=data["to_worker"],
                reason=data["reason"],
                units=[] if whole else data["units"],
                from_worker=data["from_worker"] if whole else None,
                batch=data["batch"] if whole else None,
            )
            try:
                moved = units_reassign(actor=user, project=project, data=payload)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                name = dict(workers).get(data["to_worker"], "")
                messages.success(request, f"已将 {moved} 户改派给{name.split('(')[0]},对方的包户列表已更新。")
                query = f"?batch={batch or ''}&from_worker={data['to_worker']}"
                return redirect(reverse("relocation:reassign", kwargs={"pk": project.pk}) + query)
    rows = selectors.units_filtered(user=user, project=project, batch=batch, worker=worker)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "form": form,
        "batches": batches,
        "workers": workers,
        "batch": batch,
        "from_worker": worker,
        "page": paged,
        "items": [unit_row(u) for u in paged.object_list],
        "query": f"batch={batch or ''}&from_worker={worker or ''}",
    }
    return page(request, "relocation/reassign.html", context, status=status)
