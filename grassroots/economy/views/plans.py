"""The distribution plan's pages: draft and compute it for a company and
year, read each village's amount (summing to the total), recompute a draft,
and move it through its workflow (one POST endpoint per action)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError
from grassroots.core.forms import submit

from .. import selectors
from ..forms import PlanForm, RecomputeForm, TextForm
from ..models import DistributionPlan
from ..permissions import can_act
from ..services import distribution as services
from ..services import meeting
from ..states import TABLE, Action, State
from .common import manage_required, page, view_required

STATE_BADGES = {
    State.DRAFT: "text-bg-secondary",
    State.SUBMITTED: "text-bg-info",
    State.APPROVED: "text-bg-primary",
    State.RETURNED: "text-bg-warning",
    State.PUBLISHED: "text-bg-success",
    State.DISTRIBUTED: "text-bg-dark",
}
EVENT_LABELS = {"create": "编制方案", "recompute": "重新计算", **dict(Action.choices)}
# Actions that need a text: the meeting's resolution, the reason of a return.
TEXT_ACTIONS = {Action.APPROVE: "议事会议表决结果", Action.RETURN: "退回原因"}
DONE = {
    Action.SUBMIT: "方案已提交议事。",
    Action.APPROVE: "已登记议事通过。",
    Action.RETURN: "方案已退回,可修改后重新提交。",
    Action.PUBLISH: "方案已公示。",
    Action.DISTRIBUTE: "已确认分配到位。",
}


@require_http_methods(["GET", "POST"])
@manage_required
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    company = selectors.company_get_visible(user=user, pk=pk)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: services.plan_create(
                actor=user,
                company=company,
                year=data["year"],
                total=data["total"],
                shares_on=data.get("shares_on"),
                note=data.get("note") or "",
            ),
            done="分配方案已计算。",
            then=lambda p: redirect("economy:plan", pk=p.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "economy/plan_form.html", {"form": form, "company": company}, status=status)


def _detail(
    request: HttpRequest, plan: DistributionPlan, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = current_user(request)
    lines = selectors.plan_lines(plan=plan)
    actions = [
        {"action": a, "label": Action(a).label, "text": TEXT_ACTIONS.get(Action(a), "")}
        for a in TABLE.actions_from(plan.state)
        if can_act(user, a)
    ]
    forms = forms or {}
    return page(
        request,
        "economy/plan_detail.html",
        {
            "plan": plan,
            "badge": STATE_BADGES.get(State(plan.state), "text-bg-light"),
            "lines": lines,
            "lines_total": sum((line.amount for line in lines), Decimal("0.00")),
            "actions": actions,
            "text_form": forms.get("text") or TextForm(),
            "failed_action": forms.get("action", ""),
            "publications": selectors.plan_publications(plan=plan),
            "can_read": can_act(user, Action.APPROVE) and plan.state == State.SUBMITTED and plan.matter_id,
            "can_recompute": can_act(user, Action.SUBMIT) and TABLE.activity_allowed("recompute", plan.state),
            "recompute_form": forms.get("recompute")
            or RecomputeForm(initial={"total": plan.total, "shares_on": plan.shares_on}),
            "events": [
                {"event": e, "label": EVENT_LABELS.get(e.action, e.action)} for e in selectors.plan_events(plan=plan)
            ],
        },
        status=status,
    )


@require_GET
@view_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.plan_get_visible(user=request.user, pk=pk))


def _refused(request: HttpRequest, plan: DistributionPlan, exc: DomainError, forms: dict[str, Any]) -> HttpResponse:
    if exc.status == 404:
        raise Http404(exc.message) from exc
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc
    form = forms.get("text") or forms.get("recompute")
    if form is not None:
        form.add_domain_error(exc)
    else:
        messages.error(request, exc.message)
    plan.refresh_from_db()
    return _detail(request, plan, forms=forms, status=exc.status)


@require_POST
@manage_required
def plan_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    plan = selectors.plan_get_visible(user=user, pk=pk)
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        return _detail(request, plan, forms={"recompute": form}, status=400)
    try:
        services.plan_recompute(
            actor=user, plan=plan, total=form.cleaned_data["total"], shares_on=form.cleaned_data["shares_on"]
        )
    except DomainError as exc:
        return _refused(request, plan, exc, {"recompute": form})
    messages.success(request, "已重新计算。")
    return redirect("economy:plan", pk=plan.pk)


def _call(action: str, user: Any, plan: DistributionPlan, text: str) -> Callable[[], DistributionPlan]:
    return {
        Action.SUBMIT: lambda: meeting.plan_submit(actor=user, plan=plan),
        Action.APPROVE: lambda: services.plan_approve(actor=user, plan=plan, resolution=text),
        Action.RETURN: lambda: services.plan_return(actor=user, plan=plan, reason=text),
        Action.PUBLISH: lambda: meeting.plan_publish(actor=user, plan=plan),
        Action.DISTRIBUTE: lambda: meeting.plan_distribute(actor=user, plan=plan),
    }[Action(action)]


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = current_user(request)
    plan = selectors.plan_get_visible(user=user, pk=pk)
    text = ""
    forms: dict[str, Any] = {"action": action}
    if action in TEXT_ACTIONS:
        form = TextForm(request.POST)
        forms["text"] = form
        if not form.is_valid():
            return _detail(request, plan, forms=forms, status=400)
        text = form.cleaned_data["text"]
    try:
        _call(action, user, plan, text)()
    except DomainError as exc:
        return _refused(request, plan, exc, forms)
    messages.success(request, DONE[Action(action)])
    return redirect("economy:plan", pk=plan.pk)


def _action_view(action: str) -> Callable[[HttpRequest, int], HttpResponse]:
    @require_POST
    @manage_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _transition(request, pk, action)

    view.__name__ = f"plan_{action}"
    return view


@require_POST
@manage_required
def plan_read_resolution(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    plan = selectors.plan_get_visible(user=user, pk=pk)
    try:
        plan = meeting.plan_read_resolution(actor=user, plan=plan)
    except DomainError as exc:
        return _refused(request, plan, exc, {})
    messages.success(request, "已读取议事结果:" + plan.get_state_display() + "。")
    return redirect("economy:plan", pk=plan.pk)


plan_submit = _action_view(Action.SUBMIT)
plan_approve = _action_view(Action.APPROVE)
plan_return = _action_view(Action.RETURN)
plan_publish = _action_view(Action.PUBLISH)
plan_distribute = _action_view(Action.DISTRIBUTE)
