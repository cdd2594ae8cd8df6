"""The project register's milestone actions on the project page: add a
dated milestone, mark the next one reached (each its own POST)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.forms import submit

from .. import selectors
from ..forms import MilestoneForm, MilestoneReachForm
from ..services import milestones as services
from .common import manage_required
from .projects import _detail


@require_POST
@manage_required
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: services.milestone_add(
                actor=user, project=project, name=data["name"], planned_on=data["planned_on"], progress=data["progress"]
            ),
            done="节点已添加。",
            then=lambda _m: redirect("economy:project", pk=project.pk),
        )
        if done is not None:
            return done
    return _detail(request, project, milestone_form=form, status=400)


@require_POST
@manage_required
def milestone_reach(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    form = MilestoneReachForm(request.POST)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: services.milestone_reach(actor=user, project=project, day=form.cleaned_data["day"]),
            done="节点已达成,项目进度已更新。",
            then=lambda _m: redirect("economy:project", pk=project.pk),
        )
        if done is not None:
            return done
    return _detail(request, project, reach_form=form, status=400)
