"""The inspection pages: inspecting a premises on a phone (the checklist
version in force, a result for every item, photos, inspectors and time),
an inspection's record with its answers and photos, and a photo."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.forms import submit

from .. import selectors
from ..forms import InspectionForm
from ..models import Result
from ..services import inspections as services
from ..states import State
from .common import inspect_required, page, view_required

RESULT_BADGES = {Result.PASS: "text-bg-success", Result.FAIL: "text-bg-danger", Result.NOT_APPLICABLE: "text-bg-light"}


@require_http_methods(["GET", "POST"])
@inspect_required
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    premises = selectors.premises_get_visible(user=user, pk=pk)
    versions = services.versions_applicable(premises)
    if premises.state != State.OPERATING or not versions:
        reason = "该场所已关停,不能检查。" if premises.state != State.OPERATING else "没有适用于该场所类型的检查表。"
        return page(request, "safety/inspect.html", {"premises": premises, "refused": reason}, status=409)
    chosen = request.POST.get("version") or request.GET.get("version")
    version = next((v for v in versions if str(v.pk) == chosen), versions[0])
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        version=version,
        inspectors=selectors.inspectors_for(premises=premises),
        now=now,
    )
    if request.method == "POST" and form.is_valid():
        data = services.inspection_input(
            version=version,
            answers=form.answers(),
            inspected_at=form.cleaned_data["inspected_at"],
            inspectors=form.chosen_inspectors(),
            note=form.cleaned_data.get("note") or "",
            photos=request.FILES.getlist("photos"),
        )
        done = submit(
            request,
            form,
            lambda: services.inspection_record(actor=user, premises=premises, data=data),
            done="检查记录已保存。",
            then=lambda inspection: redirect("safety:inspection", pk=inspection.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(
        request,
        "safety/inspect.html",
        {"premises": premises, "form": form, "version": version, "versions": versions, "me": user.pk},
        status=status,
    )


@require_GET
@view_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    inspection = selectors.inspection_get_visible(user=user, pk=pk)
    hazards = selectors.inspection_hazards(inspection=inspection)
    may_raise = user_can(user, Capability.INSPECT_SAFETY)
    answers = [
        {
            "answer": a,
            "badge": RESULT_BADGES.get(Result(a.result), ""),
            "hazard": hazards.get(a.item_id),
            "can_raise": may_raise and a.result == Result.FAIL,
        }
        for a in inspection.answers.all()
    ]
    return page(request, "safety/inspection.html", {"inspection": inspection, "answers": answers})


@require_GET
@view_required
def inspection_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.inspection_photo_visible(user=request.user, pk=pk)
    if not photo.file:
        raise Http404("照片不存在。")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)
