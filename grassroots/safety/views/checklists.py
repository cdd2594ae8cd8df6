"""The checklist pages: every checklist with the version in force (items
and legal basis) and the earlier versions, and the subdistrict's page that
publishes the next version (earlier versions and the inspections that
answered them never change)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.forms import submit

from .. import selectors
from ..forms import ChecklistPublishForm
from ..models import PremisesKind
from ..services import checklists as services
from .common import checklists_required, page, view_required

KIND_LABELS = dict(PremisesKind.choices)


def _kinds(kinds: list[str]) -> str:
    return "、".join(str(KIND_LABELS.get(k, k)) for k in kinds)


@require_GET
@view_required
def checklist_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {"checklist": c, "kinds": _kinds(c.kinds), "current": c.versions.all()[0] if c.versions.all() else None}
        for c in selectors.checklists_all()
    ]
    return page(request, "safety/checklists.html", {"rows": rows, "tab": "checklists"})


@require_GET
@view_required
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get(pk=pk)
    versions = list(checklist.versions.all())
    return page(
        request,
        "safety/checklist.html",
        {"checklist": checklist, "kinds": _kinds(checklist.kinds), "versions": versions, "tab": "checklists"},
    )


@require_http_methods(["GET", "POST"])
@checklists_required
def checklist_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    checklist = selectors.checklist_get(pk=pk)
    current = selectors.version_in_force(checklist=checklist)
    form = ChecklistPublishForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        done = submit(
            request,
            form,
            lambda: services.checklist_publish(
                actor=user,
                checklist=checklist,
                items=services.parse_items(form.cleaned_data["items"]),
                note=form.cleaned_data.get("note") or "",
            ),
            done="新版本已发布,此后的检查按新版本进行。",
            then=lambda version: redirect("safety:checklist", pk=checklist.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(
        request,
        "safety/checklist_publish.html",
        {"checklist": checklist, "current": current, "form": form, "tab": "checklists"},
        status=status,
    )
