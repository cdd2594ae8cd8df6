"""Staff pages under /channels/: a village's resident groups and their
robots (MANAGE_ROBOTS), and a publication's push page (PUBLISH) where staff
choose the groups and the official account and see each post's result.
Objects outside the user's subtree answer 404; a webhook key is only ever
shown as its last four characters."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.accounts.permissions import capability_required, current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.forms import submit
from grassroots.publicity.models import State as PublicationState

from .. import selectors
from ..backends import get_mp_backend, get_robot_backend
from ..forms import PushForm, RobotForm
from ..models import Status
from ..services import posts as post_services
from ..services import robots as robot_services

robots_required = capability_required(Capability.MANAGE_ROBOTS)
push_required = capability_required(Capability.PUBLISH)

STATUS_BADGES = {Status.PENDING: "text-bg-warning", Status.SENT: "text-bg-success", Status.FAILED: "text-bg-danger"}


@require_http_methods(["GET", "POST"])
@robots_required
def robot_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = RobotForm(request.POST or None, places=selectors.robot_places(user=user))
    if request.method == "POST" and form.is_valid():
        done = submit(
            request,
            form,
            lambda: robot_services.robot_register(
                actor=user,
                node=form.cleaned_data["node"],
                name=form.cleaned_data["name"],
                webhook=form.cleaned_data["webhook"],
            ),
            done="群机器人已登记。",
            then=lambda _robot: redirect("channels:robots"),
        )
        if done is not None:
            return done
    robots = list(selectors.robots_visible_to(user=user))
    return render(
        request,
        "channels/robots.html",
        {"form": form, "robots": robots, "live": get_robot_backend().live},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@robots_required
def robot_retire(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    robot = selectors.robot_get_visible(user=user, pk=pk)
    try:
        robot_services.robot_retire(actor=user, robot=robot)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已停用“{robot.name}”。")
    return redirect("channels:robots")


def _push_page(request: HttpRequest, pk: int, form: PushForm | None = None, *, status: int = 200) -> HttpResponse:
    user = current_user(request)
    publication = selectors.publication_for_push(user=user, pk=pk)
    robots = post_services.robots_for(actor=user, publication=publication)
    posts = list(selectors.posts_of(publication=publication))
    pushed = {post.robot_id for post in posts}
    open_robots = [robot for robot in robots if robot.pk not in pushed]
    form = form or PushForm(robots=open_robots)
    rows = [{"post": post, "badge": STATUS_BADGES.get(Status(post.status), "text-bg-light")} for post in posts]
    return render(
        request,
        "channels/publication.html",
        {
            "publication": publication,
            "form": form,
            "rows": rows,
            "can_push": publication.state == PublicationState.PUBLISHED,
            "open_robots": open_robots,
            "account_enabled": get_mp_backend().enabled,
            "account_done": None in pushed,
            "robots_live": get_robot_backend().live,
            "perms_robots": user_can(user, Capability.MANAGE_ROBOTS),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@push_required
def publication_push(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _push_page(request, pk)
    user = current_user(request)
    publication = selectors.publication_for_push(user=user, pk=pk)
    robots = post_services.robots_for(actor=user, publication=publication)
    pushed = set(selectors.posts_of(publication=publication).values_list("robot_id", flat=True))
    form = PushForm(request.POST, robots=[robot for robot in robots if robot.pk not in pushed])
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: post_services.publication_push(
                actor=user,
                publication=publication,
                robot_ids=list(form.cleaned_data["robots"]),
                to_account=bool(form.cleaned_data["to_account"]),
            ),
            done="已提交推送,结果见下表。",
            then=lambda _posts: redirect("channels:publication", pk=publication.pk),
        )
        if done is not None:
            return done
    return _push_page(request, pk, form, status=400)


@require_POST
@push_required
def post_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    post = selectors.post_get_visible(user=user, pk=pk)
    try:
        post_services.post_retry(actor=user, post=post)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已重新发送。")
    return redirect("channels:publication", pk=post.publication_id)
