"""民生实事 projects: the list with progress, a project with its milestones
and photos, registering one, reaching a milestone (which publishes the
progress through 晒事) and adding a photo."""

from __future__ import annotations

from typing import cast

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import capability_required, current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.forms import submit
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Level, Node

from .. import selectors
from ..forms import PhotoForm, ProjectForm, ReachForm
from ..models import Project
from ..services import projects as services
from .common import page, view_required

projects_required = capability_required(Capability.MANAGE_PROJECTS)
PER_PAGE = 20


def _places(user: object) -> list[Node]:
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    levels = (Level.SUBDISTRICT, Level.VILLAGE)
    return list(Node.objects.filter(path__startswith=prefix, level__in=levels).order_by("path"))


@require_GET
@view_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page_obj = Paginator(selectors.projects_visible_to(user=user), PER_PAGE).get_page(request.GET.get("page"))
    return page(
        request,
        "livelihood/projects.html",
        {"page": page_obj, "can_manage": user_can(user, Capability.MANAGE_PROJECTS), "tab": "projects"},
    )


def _detail(request: HttpRequest, project: Project, **extra: object) -> dict[str, object]:
    return {
        "project": project,
        "milestones": list(project.milestones.all()),
        "photos": list(project.photos.all()),
        "can_manage": user_can(request.user, Capability.MANAGE_PROJECTS),
        "reach_form": extra.pop("reach_form", ReachForm()),
        "photo_form": extra.pop("photo_form", PhotoForm()),
        "tab": "projects",
        **extra,
    }


@require_GET
@view_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_visible(user=current_user(request), pk=pk)
    return page(request, "livelihood/project.html", _detail(request, project))


@require_http_methods(["GET", "POST"])
@projects_required
def project_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ProjectForm(request.POST or None, places=_places(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project_input = services.ProjectInput(
            title=data["title"],
            node=form.places[data["node"]],
            budget=data["budget"],
            funding_source=data["funding_source"],
            description=data["description"],
            milestones=[services.MilestoneInput(title, percent) for title, percent in data["milestones"]],
        )
        done = submit(
            request,
            form,
            lambda: services.project_create(actor=user, data=project_input),
            done="项目已登记。",
            then=lambda project: redirect("livelihood:project", pk=project.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "livelihood/project_form.html", {"form": form, "tab": "projects"}, status=status)


@require_POST
@projects_required
def milestone_reach(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    milestone = selectors.milestone_get_visible(user=user, pk=pk)
    form = ReachForm(request.POST)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: services.milestone_reach(actor=user, milestone=milestone, note=form.cleaned_data["note"]),
            done="节点已完成,项目进展已在晒事中公示。",
            then=lambda _m: redirect("livelihood:project", pk=milestone.project_id),
        )
        if done is not None:
            return done
    project = selectors.project_get_visible(user=user, pk=milestone.project_id)
    return page(request, "livelihood/project.html", _detail(request, project, reach_form=form), status=400)


@require_POST
@projects_required
def project_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: services.project_photo_add(
                actor=user, project=project, photo=form.cleaned_data["photo"], caption=form.cleaned_data["caption"]
            ),
            done="照片已上传。",
            then=lambda _p: redirect("livelihood:project", pk=project.pk),
        )
        if done is not None:
            return done
    return page(request, "livelihood/project.html", _detail(request, project, photo_form=form), status=400)


@require_GET
@view_required
def project_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.project_photo_visible(user=current_user(request), pk=pk)
    if not photo.file:
        raise Http404("照片不存在。")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)
