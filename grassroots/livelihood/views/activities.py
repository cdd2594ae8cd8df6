"""Activities: the month's calendar, putting an activity on it, an
activity's registrations (register a resident by ID number, mark who came)
and, for a weekly activity, each village's check-in of the week."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import capability_required, current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.forms import submit
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Level, Node
from grassroots.regions.presentation import resident_masked

from .. import selectors
from ..errors import LivelihoodError
from ..forms import ActivityForm, CheckInForm, PhotoForm, RegisterForm
from ..models import Activity, Registration
from ..services import activities as services
from .common import month_of, page, record_required, view_required

organise_required = capability_required(Capability.MANAGE_PROJECTS)


def _places(user: object) -> list[Node]:
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    levels = (Level.SUBDISTRICT, Level.VILLAGE)
    return list(Node.objects.filter(path__startswith=prefix, level__in=levels).order_by("path"))


def _villages(user: object, activity: Activity) -> list[Node]:
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    rows = Node.objects.filter(path__startswith=activity.path, level=Level.VILLAGE)
    return [v for v in rows.order_by("path") if v.path.startswith(prefix) or prefix.startswith(v.path)]


@require_GET
@view_required
def activity_calendar(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    month = month_of(request)
    rows = selectors.activities_in_month(user=user, month=month).order_by("starts_on", "id")
    return page(
        request,
        "livelihood/activities.html",
        {"month": month, "rows": rows, "can_organise": user_can(user, Capability.MANAGE_PROJECTS), "tab": "activities"},
    )


@require_http_methods(["GET", "POST"])
@organise_required
def activity_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ActivityForm(request.POST or None, places=_places(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity_input = services.ActivityInput(
            title=data["title"],
            kind=data["kind"],
            node=form.places[data["node"]],
            starts_on=data["starts_on"],
            place=data["place"],
            capacity=data["capacity"],
            weekday=data["weekday"],
        )
        done = submit(
            request,
            form,
            lambda: services.activity_create(actor=user, data=activity_input),
            done="活动已安排。",
            then=lambda activity: redirect("livelihood:activity", pk=activity.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "livelihood/activity_form.html", {"form": form, "tab": "activities"}, status=status)


def _detail(
    request: HttpRequest,
    activity: Activity,
    *,
    register_form: RegisterForm | None = None,
    check_form: CheckInForm | None = None,
    photo_form: PhotoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    registrations = list(selectors.registrations_visible(user=user, activity=activity))
    villages = _villages(user, activity)
    return page(
        request,
        "livelihood/activity.html",
        {
            "activity": activity,
            "rows": [(r, resident_masked(r.resident)) for r in registrations],
            "register_form": register_form or RegisterForm(),
            "check_form": check_form or CheckInForm(villages=villages),
            "photos": list(activity.photos.all()),
            "photo_form": photo_form or PhotoForm(),
            "can_organise": user_can(user, Capability.MANAGE_PROJECTS),
            "check_ins": selectors.check_ins_for(activity=activity, user=user) if activity.weekday is not None else [],
            "tab": "activities",
        },
        status=status,
    )


@require_GET
@view_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.activity_get_visible(user=current_user(request), pk=pk))


def _register(user: object, activity: Activity, id_number: str) -> Registration:
    resident = selectors.resident_by_id_number(user=user, id_number=id_number)
    if resident is None:
        raise LivelihoodError("resident_unknown", "辖区内没有这个身份证号的居民。", field="id_number")
    return services.registration_add(actor=user, activity=activity, resident=resident)  # type: ignore[arg-type]


@require_POST
@record_required
def activity_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    activity = selectors.activity_get_visible(user=user, pk=pk)
    form = RegisterForm(request.POST)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: _register(user, activity, form.cleaned_data["id_number"]),
            done="已报名。",
            then=lambda _r: redirect("livelihood:activity", pk=activity.pk),
            aliases=RegisterForm.field_aliases,
        )
        if done is not None:
            return done
    return _detail(request, activity, register_form=form, status=400)


@require_POST
@record_required
def registration_attend(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    registration = selectors.registration_get_visible(user=user, pk=pk)
    form = RegisterForm()
    done = submit(
        request,
        form,
        lambda: services.registration_attend(actor=user, registration=registration),
        done="已签到。",
        then=lambda _r: redirect("livelihood:activity", pk=registration.activity_id),
    )
    if done is not None:
        return done
    return _detail(request, registration.activity, register_form=form, status=409)


@require_POST
@record_required
def activity_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    activity = selectors.activity_get_visible(user=user, pk=pk)
    form = CheckInForm(request.POST, villages=_villages(user, activity))
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: services.check_in(
                actor=user,
                activity=activity,
                village=form.villages[data["village"]],
                participants=data["participants"],
                note=data["note"],
            ),
            done="本周已打卡。",
            then=lambda _c: redirect("livelihood:activity", pk=activity.pk),
        )
        if done is not None:
            return done
    return _detail(request, activity, check_form=form, status=400)


@require_POST
@organise_required
def activity_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    activity = selectors.activity_get_visible(user=user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: services.activity_photo_add(
                actor=user, activity=activity, photo=form.cleaned_data["photo"], caption=form.cleaned_data["caption"]
            ),
            done="照片已上传。",
            then=lambda _p: redirect("livelihood:activity", pk=activity.pk),
        )
        if done is not None:
            return done
    return _detail(request, activity, photo_form=form, status=400)


@require_GET
@view_required
def activity_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.activity_photo_visible(user=current_user(request), pk=pk)
    if not photo.file:
        raise Http404("照片不存在。")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)
