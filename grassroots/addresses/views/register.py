"""The register pages: the list with search, filters and pagination, an
address with its record and its photo, and the verification queue where
village staff verify (or send back) what grid workers collected and the
subdistrict signs off. Actions post through htmx and swap the row; without
JavaScript they redirect back. Addresses outside the subtree answer 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import current_user, deny, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.scoping import user_scope_path

from .. import selectors
from ..forms import FilterForm, ReasonForm
from ..models import Address
from ..permissions import can_act, capability_of
from ..services import addresses as services
from ..states import Action, State
from .common import badge, page, view_required, villages_of

PER_PAGE = 30
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def row_context(user: Any, address: Address) -> dict[str, Any]:
    state = str(address.state)
    return {
        "address": address,
        "badge": badge(state),
        "can_collect": can_act(user, Action.COLLECT) and state in (State.PENDING, State.DOUBTFUL),
        "can_verify": can_act(user, Action.VERIFY) and state == State.COLLECTED,
        "can_sign_off": can_act(user, Action.SIGN_OFF) and state == State.VILLAGE_VERIFIED,
        "can_doubt": (
            (user_can(user, Capability.VERIFY_ADDRESSES) and state == State.COLLECTED)
            or (user_can(user, Capability.MANAGE_ADDRESSES) and state == State.VILLAGE_VERIFIED)
        ),
    }


@require_GET
@view_required
def address_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = FilterForm(request.GET, villages=villages_of(user))
    form.is_valid()  # invalid fields are shown with their errors and ignored
    rows = form.hits(selectors.addresses_visible_to(user=user), path_prefix=user_scope_path(user) or None)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = [{"address": a, "badge": badge(a.state)} for a in paged.object_list]
    return page(
        request,
        "addresses/list.html",
        {
            "form": form,
            "page": paged,
            "items": items,
            "filtered": form.filtered,
            "batches": selectors.open_batches_of(user=user) if user_can(user, Capability.COLLECT_ADDRESSES) else [],
        },
    )


def corrections(event: Any) -> list[tuple[str, str, str]]:
    """(label, before, after) of the parts an event corrected, in the form's
    order: PostgreSQL's jsonb keeps an object's keys in an order of its own."""
    corrected = (event.data or {}).get("corrected") or {}
    return [
        (label, *corrected[name][:2])
        for name, label in services.PART_LABELS.items()
        if isinstance(corrected.get(name), list | tuple) and len(corrected[name]) >= 2
    ]


def _detail_context(request: HttpRequest, address: Address, **extra: Any) -> dict[str, Any]:
    user = current_user(request)
    events: list[Any] = list(address.events.select_related("actor").order_by("created_at", "id"))
    for event in events:
        event.corrections = corrections(event)
    return {**row_context(user, address), "events": events, "reason_form": ReasonForm(), **extra}


@require_GET
@view_required
def address_detail(request: HttpRequest, pk: int) -> HttpResponse:
    address = selectors.address_get_visible(user=request.user, pk=pk)
    return page(request, "addresses/detail.html", _detail_context(request, address))


@require_GET
@view_required
def address_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The site photo of an address in the user's subtree (stored under a
    random name with the extension of its checked type)."""
    address = selectors.address_get_visible(user=request.user, pk=pk)
    if not address.photo:
        raise Http404("该地址没有现场照片。")
    extension = address.photo.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        address.photo.open("rb"), content_type=PHOTO_TYPES.get(extension, "application/octet-stream")
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)


@require_GET
@view_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    """Village staff: what grid workers collected; the subdistrict: what villages verified."""
    user = current_user(request)
    state = State.VILLAGE_VERIFIED if user_can(user, Capability.MANAGE_ADDRESSES) else State.COLLECTED
    rows = selectors.verification_queue(user=user, state=state)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = [row_context(user, a) for a in paged.object_list]
    return page(
        request,
        "addresses/queue.html",
        {"page": paged, "items": items, "step": State(state).label, "reason_form": ReasonForm()},
    )


def _act(request: HttpRequest, pk: int, action: str, call: Callable[[Address], Any], done: str) -> HttpResponse:
    """Run one action if the user's role may (403 and audited otherwise);
    htmx gets the row back (always 200: htmx does not swap error answers), a
    plain post a redirect with a message."""
    user = current_user(request)
    if not can_act(user, action):
        raise deny(request, capability_of(action))
    address = selectors.address_get_visible(user=user, pk=pk)
    error = ""
    try:
        address = call(address)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        error = exc.message
        address.refresh_from_db()
    if getattr(request, "htmx", False):
        context = {**row_context(user, address), "notice": "" if error else done, "error": error}
        return page(request, "addresses/_queue_row.html", {**context, "reason_form": ReasonForm()})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(request.POST.get("next") or reverse("addresses:detail", args=[address.pk]))


@require_POST
@view_required
def address_verify(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return _act(
        request,
        pk,
        Action.VERIFY,
        lambda a: services.address_verify(actor=user, address=a),
        "已核验,等待街道审定。",
    )


@require_POST
@view_required
def address_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return _act(
        request,
        pk,
        Action.SIGN_OFF,
        lambda a: services.address_sign_off(actor=user, address=a),
        "已审定为标准地址。",
    )


@require_POST
@view_required
def address_doubt(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        Action.DOUBT,
        lambda a: services.address_doubt(actor=user, address=a, reason=reason),
        "已退回网格员重新核采。",
    )
