"""Care flags: the flags of the subtree, setting one (by the resident's ID
number, the household head's for a low-income household), ending one with a
reason and restoring it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.forms import submit
from grassroots.regions.presentation import resident_masked

from .. import selectors
from ..errors import LivelihoodError
from ..forms import EndFlagForm, FlagForm
from ..models import CareFlag, FlagKind
from ..services import flags as services
from .common import manage_required, page, view_required

PER_PAGE = 30


@require_GET
@view_required
def flag_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in FlagKind.values else ""
    rows = selectors.flags_visible_to(user=current_user(request), kind=kind).select_related("household")
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return page(
        request,
        "livelihood/flags.html",
        {"page": page_obj, "kind": kind, "kinds": FlagKind.choices, "tab": "flags", "end_form": EndFlagForm()},
    )


def _set(user: object, data: dict[str, object]) -> CareFlag:
    resident = selectors.resident_by_id_number(user=user, id_number=str(data["id_number"]))
    if resident is None:
        raise LivelihoodError("resident_unknown", "辖区内没有这个身份证号的居民。", field="id_number")
    return services.flag_set(
        actor=user,  # type: ignore[arg-type]
        kind=str(data["kind"]),
        resident=resident,
        source=str(data["source"]),
        since=data["since"],  # type: ignore[arg-type]
        note=str(data["note"]),
    )


@require_http_methods(["GET", "POST"])
@manage_required
def flag_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit(
            request,
            form,
            lambda: _set(user, form.cleaned_data),
            done="已标记。",
            then=lambda _flag: redirect("livelihood:flags"),
            aliases=FlagForm.field_aliases,
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "livelihood/flag_form.html", {"form": form, "tab": "flags"}, status=status)


@require_POST
@manage_required
def flag_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    flag = selectors.flag_get_visible(user=user, pk=pk)
    form = EndFlagForm(request.POST)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: services.flag_end(actor=user, flag=flag, reason=form.cleaned_data["reason"]),
            done="标记已撤销。",
            then=lambda _flag: redirect("livelihood:flags"),
        )
        if done is not None:
            return done
    return page(
        request,
        "livelihood/flag_end.html",
        {"flag": flag, "person": _person(flag), "form": form, "tab": "flags"},
        status=400,
    )


@require_POST
@manage_required
def flag_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    flag = selectors.flag_get_visible(user=user, pk=pk)
    form = EndFlagForm()
    done = submit(
        request,
        form,
        lambda: services.flag_restore(actor=user, flag=flag),
        done="标记已恢复。",
        then=lambda _flag: redirect("livelihood:flags"),
    )
    if done is not None:
        return done
    return page(
        request,
        "livelihood/flag_end.html",
        {"flag": flag, "person": _person(flag), "form": form, "tab": "flags", "restore": True},
        status=409,
    )


def _person(flag: CareFlag) -> object:
    return resident_masked(flag.resident) if flag.resident else None
