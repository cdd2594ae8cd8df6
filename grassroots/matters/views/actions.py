"""The detail page's actions. Each posts one form (through htmx, or as a plain
form without JavaScript), calls one service and re-renders the detail panel.
A `DomainError` becomes an error on the form and nothing changes; a stale
page (someone else moved the matter on) says so instead of acting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.accounts.permissions import capability_required, current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.actions import ActionSpec, PanelAction, PanelPage
from grassroots.core.linked import linked_for_staff
from grassroots.core.publishing import publisher
from grassroots.core.workdays import WorkCalendar
from grassroots.regions.selectors import ancestors_visible_to, place_labels

from .. import permissions, selectors
from ..errors import StaleState
from ..forms.staff import (
    AcceptForm,
    AssignForm,
    CloseForm,
    EscalateForm,
    JointMeetingForm,
    MergeForm,
    NoteForm,
    PublishForm,
    RejectForm,
    ReopenAnswerForm,
    ReopenForm,
    ResolveForm,
)
from ..models import Matter, ReopenRequest
from ..services import feedback, lifecycle
from ..states import OPEN_STATES, Action, State
from .display import channel_items, deadline_notes, due_status, reporter_label

STATE_LABELS = {str(value): str(label) for value, label in State.choices}


def _accept(request: HttpRequest, matter: Matter, data: dict[str, Any]) -> Any:
    return lifecycle.matter_accept(
        actor=current_user(request),
        matter=matter,
        category=data["category"],
        responsible_unit=data.get("responsible_unit"),
        urgency=data.get("urgency") or None,
        touches_collective=data.get("touches_collective", False),
    )


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in [
        ActionSpec("accept", "受理", AcceptForm, _accept, "已受理,办理期限已计算。"),
        ActionSpec(
            "assign",
            "交办",
            AssignForm,
            lambda r, m, d: lifecycle.matter_assign(
                actor=current_user(r), matter=m, assignee=d["assignee"], plan=d["plan"]
            ),
            "已交办。",
        ),
        ActionSpec(
            "resolve",
            "办结",
            ResolveForm,
            lambda r, m, d: lifecycle.matter_resolve(
                actor=current_user(r), matter=m, result=d["result"], files=d.get("attachments") or []
            ),
            "已办结,已通知反映人。",
            "btn-success",
        ),
        ActionSpec(
            "close",
            "关闭",
            CloseForm,
            lambda r, m, d: lifecycle.matter_close(actor=current_user(r), matter=m),
            "事项已关闭。",
            "btn-success",
        ),
        ActionSpec(
            "reject",
            "不予受理",
            RejectForm,
            lambda r, m, d: lifecycle.matter_reject(actor=current_user(r), matter=m, reason=d["reason"]),
            "已不予受理,已通知反映人。",
            "btn-outline-danger",
        ),
        ActionSpec(
            "merge",
            "合并",
            MergeForm,
            lambda r, m, d: lifecycle.matter_merge(actor=current_user(r), matter=m, into=d["into"]),
            "已合并,反映人将随主事项收到进展。",
            "btn-outline-secondary",
        ),
        ActionSpec(
            "reopen",
            "重新办理",
            ReopenForm,
            lambda r, m, d: lifecycle.matter_reopen(actor=current_user(r), matter=m, reason=d["reason"]),
            "事项已重新办理。",
            "btn-outline-warning",
        ),
        ActionSpec(
            "publish",
            "登记公示",
            PublishForm,
            lambda r, m, d: publisher().publish(
                actor=current_user(r),
                matter=m,
                kind=d["kind"],
                title=d["title"],
                content=d["content"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                channels=d["channels"],
            ),
            "公示已发布。",
            "btn-outline-primary",
            transition=False,
        ),
        ActionSpec(
            "escalate",
            "升级督办",
            EscalateForm,
            lambda r, m, d: lifecycle.matter_escalate(actor=current_user(r), matter=m, reason=d["reason"]),
            "已升级督办,已通知上级。",
            "btn-outline-danger",
            transition=False,
        ),
        ActionSpec(
            "joint-meeting",
            "列入联席会议",
            JointMeetingForm,
            lambda r, m, d: lifecycle.matter_request_joint_meeting(actor=current_user(r), matter=m, reason=d["reason"]),
            "已列入街道联席会议议题。",
            "btn-outline-secondary",
            transition=False,
        ),
        ActionSpec(
            "note",
            "备注/答复",
            NoteForm,
            lambda r, m, d: lifecycle.matter_add_note(
                actor=current_user(r), matter=m, text=d["text"], public=d["visibility"] == "public"
            ),
            "已记录。",
            "btn-outline-primary",
            "提交",
            transition=False,
        ),
    ]
}


# The action offered first (opened) in each state.
PRIMARY = {State.REPORTED: "accept", State.ACCEPTED: "assign", State.HANDLING: "resolve", State.RESOLVED: "close"}
ACTION_LABELS = {str(value): str(label) for value, label in Action.choices}


PANEL_INTROS = {"accept": "matters/staff/_accept_intro.html", "close": "matters/staff/_close_hint.html"}


def _label(spec: ActionSpec, matter: Matter) -> str:
    # From handling, assigning again hands the matter to somebody else.
    return "改派" if spec.name == "assign" and matter.state == State.HANDLING else spec.label


def _panel_action(spec: ActionSpec, matter: Matter) -> PanelAction:
    return PanelAction.from_spec(
        spec,
        label=_label(spec, matter),
        submit=spec.submit or _label(spec, matter),
        multipart=spec.name == "resolve",
        intro=PANEL_INTROS.get(spec.name, ""),
    )


def available_actions(user: Any, matter: Matter) -> list[str]:
    """The actions this user may take on the matter in its current state, in
    display order (the state table and the capability rules both apply)."""
    return [name for name in ACTIONS if permissions.matter_can(user=user, matter=matter, action=name)]


def detail_context(
    request: HttpRequest,
    matter: Matter,
    *,
    failed: str = "",
    form: forms.Form | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    user = request.user
    matter = selectors.matter_detail(pk=matter.pk)
    names = available_actions(user, matter)
    primary = PRIMARY.get(State(matter.state), "")
    if primary in names:  # the usual next step comes first
        names.remove(primary)
        names.insert(0, primary)
    reopen_requests = list(matter.reopen_requests.all())
    can_answer = permissions.matter_can(user=user, matter=matter, action="reopen-answer")
    answer_forms = []
    for reopen in reopen_requests:
        if reopen.status != ReopenRequest.Status.OPEN or not can_answer:
            continue
        answer_form = form if failed == f"reopen-answer-{reopen.pk}" and form is not None else None
        answer_forms.append((reopen, answer_form or ReopenAnswerForm(auto_id=f"id_ra{reopen.pk}_%s")))
    shown = failed in names or any(failed == f"reopen-answer-{r.pk}" for r, _f in answer_forms)
    if shown:
        error = ""  # the form that failed shows its own errors, next to the button
    duplicates = selectors.duplicates_for(matter=matter) if "merge" in names else []
    dispute_case = getattr(matter, "dispute_case", None)  # absent → None
    pending_referral = None if dispute_case is not None else selectors.matter_pending_referral(matter=matter)
    channel_rows, original_text = channel_items(matter)
    linked_items, linked_actions = linked_for_staff(matter, user)
    channel_labels = dict(publisher().channels)
    return {
        "matter": matter,
        "breadcrumbs": ancestors_visible_to(user=user, node=matter.node),
        "due": due_status(matter, calendar=WorkCalendar(), today=timezone.localdate()),
        "deadline_notes": deadline_notes(matter) if matter.due_provisional else [],
        "reporter": reporter_label(matter),
        "timeline": [
            (
                event,
                ACTION_LABELS.get(event.action) or event.get_kind_display(),
                STATE_LABELS.get(event.from_state, ""),
                STATE_LABELS.get(event.to_state, ""),
            )
            for event in matter.events.all()
        ],
        "channel_items": channel_rows,
        "objection_publication": selectors.matter_objection_publication(matter=matter),
        "original_text": original_text,
        "publications": [(pub, [channel_labels.get(c, c) for c in pub.channels]) for pub in matter.publications.all()],
        "feedback": list(matter.feedback.all()),
        "attachments": list(matter.attachments.all()),
        "panel": PAGE.panel(
            matter,
            names=names,
            declare=lambda name: _panel_action(ACTIONS[name], matter),
            form_for=lambda name: ACTIONS[name].form(matter=matter, user=user, action=name),
            url_for=lambda name: reverse(f"matters:{name}", args=[matter.pk]),
            failed=failed,
            form=form,
            open=failed or (primary if primary in names else ""),
            empty="" if answer_forms else None,
        ),
        "place": place_labels([matter.node], skip_depth=1)[matter.node_id],
        "answer_forms": answer_forms,
        "reopen_requests": reopen_requests,
        "duplicates": duplicates,
        # A neighbour dispute raised as a matter can go to the mediation centre:
        # the centre takes it over directly, grid workers and village staff
        # refer it (转介) for the centre to accept or return. Read through the
        # reverse relations of mediation.DisputeCase and DisputeReferral.
        "dispute_case": dispute_case,
        "can_open_dispute_case": user_can(user, Capability.MEDIATE) or user_can(user, Capability.MANAGE_MEDIATION),
        "pending_referral": pending_referral,
        "can_transfer_to_mediation": user_can(user, Capability.MANAGE_MEDIATION) and matter.state in OPEN_STATES,
        "can_refer_to_mediation": user_can(user, Capability.REFER_DISPUTES) and matter.state in OPEN_STATES,
        # Work of apps above matters grown from this matter (ADR 0039).
        "linked_items": linked_items,
        "linked_actions": linked_actions,
        "notice": notice,
        "error": error,
    }


PAGE = PanelPage(
    "matters/staff/_panel.html",
    "matters/staff/detail.html",
    "matters:detail",
    detail_context,
    StaleState,
    target="#matter-panel",
    field_template="matters/staff/_field.html",
    stale_on_form=True,
)


def _action_view(name: str) -> Callable[..., HttpResponse]:
    spec = ACTIONS[name]

    @require_POST
    @capability_required(Capability.VIEW_MATTERS)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        matter = selectors.matter_get_visible(user=request.user, pk=pk)
        form = spec.form(request.POST, request.FILES, matter=matter, user=request.user, action=name)
        return PAGE.run(
            request, matter, name, form, lambda: spec.handler(request, matter, form.cleaned_data), spec.done
        )

    view.__name__ = f"matter_{name.replace('-', '_')}"
    return view


action_views: dict[str, Callable[..., HttpResponse]] = {name: _action_view(name) for name in ACTIONS}


@require_POST
@capability_required(Capability.VIEW_MATTERS)
def reopen_answer(request: HttpRequest, pk: int) -> HttpResponse:
    reopen = selectors.reopen_request_in_scope(user=request.user, pk=pk)
    matter = reopen.matter
    form = ReopenAnswerForm(request.POST, auto_id=f"id_ra{reopen.pk}_%s")
    return PAGE.run(
        request,
        matter,
        f"reopen-answer-{reopen.pk}",
        form,
        lambda: feedback.reopen_request_answer(
            actor=current_user(request),
            reopen_request=reopen,
            grant=form.cleaned_data["grant"],
            answer=form.cleaned_data["answer"],
        ),
        "已答复重新办理申请。",
    )
