"""Staff pages of the safety inspections under /safety/ (VIEW_SAFETY; writes
need their own capability): the premises register with search, filters and
pagination, a premises with its record, and the pages that register and
correct a premises, close it or take it back into use. Premises outside the
user's subtree answer 404; the operator's phone is only ever shown masked."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.forms import submit
from grassroots.core.masking import mask_phone

from .. import selectors
from ..forms import FilterForm, PremisesForm, ReasonForm
from ..models import Premises, RiskLevel
from ..permissions import can_act
from ..services import premises as services
from ..services.premises import PremisesInput
from ..states import Action, State
from .common import inspect_required, manage_required, page, view_required

PER_PAGE = 30

RISK_BADGES = {
    RiskLevel.LOW: "text-bg-primary",
    RiskLevel.GENERAL: "text-bg-warning",
    RiskLevel.HIGH: "bg-warning-subtle text-danger-emphasis border border-warning",
    RiskLevel.MAJOR: "text-bg-danger",
}
STATE_BADGES = {State.OPERATING: "text-bg-success", State.CLOSED: "text-bg-secondary"}


def _row(premises: Premises) -> dict[str, Any]:
    return {
        "premises": premises,
        "risk_badge": RISK_BADGES.get(RiskLevel(premises.risk_level), "text-bg-light"),
        "state_badge": STATE_BADGES.get(State(premises.state), "text-bg-light"),
        "phone": mask_phone(premises.operator_phone),
    }


EVENT_LABELS = {"create": "登记场所", "edit": "修改场所信息", Action.CLOSE: "关停", Action.REOPEN: "恢复使用"}
FIELD_LABELS = {
    "name": "场所名称",
    "kind": "场所类型",
    "risk_level": "风险等级",
    "node": "所属村/网格",
    "address": "标准地址",
    "location": "位置说明",
    "operator_name": "经营者/负责人",
    "operator_phone": "联系电话",
    "note": "备注",
}


def _events(premises: Premises) -> list[dict[str, Any]]:
    rows = []
    for event in selectors.premises_events(premises=premises):
        corrected = (event.data or {}).get("corrected", {})
        # In the form's order: PostgreSQL's jsonb keeps keys in an order of its own.
        names = [label for name, label in FIELD_LABELS.items() if name in corrected]
        rows.append(
            {"event": event, "label": EVENT_LABELS.get(event.action, event.action), "corrected": "、".join(names)}
        )
    return rows


@require_GET
@view_required
def premises_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = FilterForm(request.GET, villages=selectors.villages_of(user=user))
    form.is_valid()  # invalid fields are shown with their errors and ignored
    rows = selectors.premises_filtered(user=user, **form.values())
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = [_row(p) for p in paged.object_list]
    return page(request, "safety/list.html", {"form": form, "page": paged, "items": items, "filtered": form.filtered})


def _detail(
    request: HttpRequest, premises: Premises, *, reason_form: ReasonForm | None = None, status: int = 200
) -> HttpResponse:
    user = current_user(request)
    state = str(premises.state)
    return page(
        request,
        "safety/detail.html",
        {
            **_row(premises),
            "events": _events(premises),
            "inspections": selectors.premises_inspections(premises=premises),
            "can_inspect": user_can(user, Capability.INSPECT_SAFETY) and state == State.OPERATING,
            "can_edit": user_can(user, Capability.INSPECT_SAFETY) and state == State.OPERATING,
            "can_close": can_act(user, Action.CLOSE) and state == State.OPERATING,
            "can_reopen": can_act(user, Action.REOPEN) and state == State.CLOSED,
            "reason_form": reason_form or ReasonForm(),
        },
        status=status,
    )


@require_GET
@view_required
def premises_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.premises_get_visible(user=request.user, pk=pk))


def _input(request: HttpRequest, form: PremisesForm) -> PremisesInput | None:
    """The service input of a valid form, or None with the error on the form
    (an address text that is not in the user's register)."""
    data = form.cleaned_data
    address = None
    if data.get("address_text"):
        address = selectors.address_by_text(user=request.user, text=data["address_text"])
        if address is None:
            form.add_error("address_text", "标准地址库中没有这个地址,请核对后填写完整地址,或留空。")
            return None
    return PremisesInput(
        name=data["name"],
        kind=data["kind"],
        risk_level=data["risk_level"],
        node=form.places[data["node"]],
        operator_name=data["operator_name"],
        operator_phone=data.get("operator_phone") or None,
        address=address,
        location=data.get("location") or "",
        note=data.get("note") or "",
    )


@require_http_methods(["GET", "POST"])
@inspect_required
def premises_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    places = selectors.places_of(user=user)
    form = PremisesForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        data = _input(request, form)
        if data is not None:
            done = submit(
                request,
                form,
                lambda: services.premises_create(actor=user, data=data),
                done="场所已登记。",
                then=lambda p: redirect("safety:premises", pk=p.pk),
                aliases={"address": "address_text"},
            )
            if done is not None:
                return done
    status = 400 if request.method == "POST" else 200
    return page(request, "safety/form.html", {"form": form, "premises": None}, status=status)


@require_http_methods(["GET", "POST"])
@inspect_required
def premises_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    premises = selectors.premises_get_visible(user=user, pk=pk)
    places = selectors.places_of(user=user)
    form = PremisesForm(request.POST or None, places=places, premises=premises)
    if request.method == "POST" and form.is_valid():
        data = _input(request, form)
        if data is not None:
            done = submit(
                request,
                form,
                lambda: services.premises_edit(actor=user, premises=premises, data=data),
                done="场所信息已保存。",
                then=lambda p: redirect("safety:premises", pk=p.pk),
                aliases={"address": "address_text"},
            )
            if done is not None:
                return done
    status = 200
    if request.method == "POST":
        # A closed premises is not corrected (the service's 409); other refusals are input errors.
        status = 409 if premises.state != State.OPERATING else 400
    return page(request, "safety/form.html", {"form": form, "premises": premises}, status=status)


def _error_answer(request: HttpRequest, premises: Premises, exc: DomainError, form: ReasonForm) -> HttpResponse:
    if exc.status == 404:
        raise Http404(exc.message) from exc
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc
    form.add_domain_error(exc)
    premises.refresh_from_db()
    return _detail(request, premises, reason_form=form, status=exc.status)


@require_POST
@manage_required
def premises_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    premises = selectors.premises_get_visible(user=user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, premises, reason_form=form, status=400)
    try:
        services.premises_close(actor=user, premises=premises, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _error_answer(request, premises, exc, form)
    messages.success(request, "场所已关停,记录保留。")
    return redirect("safety:premises", pk=premises.pk)


@require_POST
@manage_required
def premises_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    premises = selectors.premises_get_visible(user=user, pk=pk)
    try:
        services.premises_reopen(actor=user, premises=premises)
    except DomainError as exc:
        return _error_answer(request, premises, exc, ReasonForm())
    messages.success(request, "场所已恢复使用。")
    return redirect("safety:premises", pk=premises.pk)
