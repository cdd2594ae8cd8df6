"""Pages of 专题培训: the sessions, a new session, a session's page with its
QR code (a signed, expiring sign-in URL) and attendance, the hours per
member per year, and the sign-in page a member's phone opens from the QR
code (one tap signs them in; a second tap answers with the first sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.documents import qr_svg
from grassroots.core.errors import DomainError
from grassroots.core.forms import submit
from grassroots.regions.models import Level

from .. import selectors
from ..forms import TrainingForm
from ..services import training as services
from ..services.training import TrainingInput
from .common import manage_required, page, view_required

PER_PAGE = 30


@require_GET
@view_required
def training_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.trainings_visible_to(user=request.user)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return page(request, "party/trainings.html", {"page": paged, "tab": "trainings"})


@require_http_methods(["GET", "POST"])
@manage_required
def training_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    places = selectors.places_of(user=user, levels=(Level.SUBDISTRICT, Level.VILLAGE))
    form = TrainingForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        node = next(n for n in places if str(n.pk) == data["node"])
        starts_at = data["starts_at"]
        if timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
        answer = submit(
            request,
            form,
            lambda: services.training_create(
                actor=user,
                data=TrainingInput(
                    title=data["title"],
                    audience=data["audience"],
                    node=node,
                    starts_at=starts_at,
                    hours=data["hours"],
                    location=data.get("location") or "",
                ),
            ),
            done="培训已登记。",
            then=lambda training: redirect("party:training", pk=training.pk),
        )
        if answer:
            return answer
    return page(
        request,
        "party/form.html",
        {"form": form, "title": "登记专题培训", "tab": "trainings"},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@view_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = selectors.training_get_visible(user=request.user, pk=pk)
    url = request.build_absolute_uri(reverse("party:sign-in", kwargs={"token": training.signin_token}))
    problem = services.signin_window_error(training, timezone.now())
    return page(
        request,
        "party/training.html",
        {
            "training": training,
            "signin_url": url,
            "qr": qr_svg(url, scale=5) if not problem else "",
            "signin_problem": problem,
            "attendances": selectors.training_attendances(training=training),
            "tab": "trainings",
        },
    )


@require_GET
@view_required
def training_hours(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        messages.error(request, "年份不正确,已显示今年。")
        year = this_year
    rows = selectors.hours_by_member(user=request.user, year=year)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return page(
        request,
        "party/hours.html",
        {"page": paged, "year": year, "years": range(this_year, this_year - 5, -1), "tab": "hours"},
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """Any logged-in staff user may open it; only a member of the session's
    subtree is signed in (others are told why, with nothing written)."""
    user = current_user(request)
    try:
        training = services.training_from_token(token)
    except DomainError as exc:
        return page(request, "party/sign_in.html", {"problem": exc.message}, status=400)
    member = services.member_for_training(user=user, training=training)
    attendance = None
    if member is not None:
        attendance = selectors.training_attendances(training=training).filter(member=member).first()
    if request.method == "POST":
        try:
            attendance, created = services.training_sign_in(actor=user, token=token)
        except DomainError as exc:
            return page(
                request, "party/sign_in.html", {"training": training, "problem": exc.message}, status=exc.status
            )
        messages.success(request, "签到成功。" if created else "您已签到,无需重复签到。")
        return redirect("party:sign-in", token=token)
    problem = services.signin_window_error(training, timezone.now()) if attendance is None else ""
    if member is None:
        problem = "您不是本次培训范围内的在册党员,不能签到。"
    return page(
        request,
        "party/sign_in.html",
        {"training": training, "attendance": attendance, "problem": problem, "member": member},
    )
