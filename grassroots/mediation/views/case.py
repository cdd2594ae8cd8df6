"""The case detail page and its actions: each posts one form (through htmx,
or as a plain form without JavaScript), calls one service and re-renders the
panel. A `DomainError` becomes an error on the form and nothing changes; a
stale page (someone else moved the case on) says so instead of acting. The
sessions' record/cancel forms, the parties' audited reveal and the agreement
PDF are in sessions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.actions import ActionSpec, PanelAction, PanelPage
from grassroots.core.inputs import input_from
from grassroots.regions.selectors import ancestors_visible_to

from .. import from_matters, permissions, repeats, selectors
from ..errors import StaleState
from ..forms import case as f
from ..models import SessionStatus
from ..services import cases as case_services
from ..services import sessions as session_services
from ..services import teams, workflow
from ..states import State
from .queue import view_required

STATE_LABELS = {str(value): str(label) for value, label in State.choices}


def _agree(r: HttpRequest, c: Any, d: dict[str, Any]) -> Any:
    return workflow.dispute_agree(
        actor=current_user(r),
        case=c,
        facts=d["facts"],
        terms=d["terms"],
        performance_method=d["performance_method"],
        performance_deadline=d.get("performance_deadline"),
        signed_on=d.get("signed_on"),
    )


def _team(r: HttpRequest, c: Any, d: dict[str, Any]) -> Any:
    return teams.dispute_assign_team(
        actor=current_user(r),
        case=c,
        committee=d["committee"],
        legal_adviser=d["legal_adviser"],
        mediators=list(d["mediators"]),
        lead=d.get("lead"),
    )


def _party(r: HttpRequest, c: Any, d: dict[str, Any]) -> Any:
    return case_services.party_add(
        actor=current_user(r),
        case=c,
        data=input_from(case_services.PartyInput, d),
    )


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in [
        ActionSpec(
            "accept",
            "受理",
            f.ConfirmForm,
            lambda r, c, d: workflow.dispute_accept(actor=current_user(r), case=c),
            "已受理,调解期限开始计算。",
            hint="受理后调解期限自次日起算。",
        ),
        ActionSpec("team", "指派调解团队", f.TeamForm, _team, "调解团队已指派,已通知团队成员。", transition=False),
        ActionSpec(
            "session",
            "安排调解",
            f.SessionForm,
            lambda r, c, d: session_services.session_schedule(
                actor=current_user(r), case=c, scheduled_at=d["scheduled_at"], place=d["place"]
            ),
            "调解已安排。",
            transition=False,
        ),
        ActionSpec(
            "start",
            "开始调解",
            f.ConfirmForm,
            lambda r, c, d: workflow.dispute_start(actor=current_user(r), case=c),
            "已开始调解。",
            "btn-outline-primary",
            hint="记录首次调解时也会自动开始调解。",
        ),
        ActionSpec("agree", "达成调解协议", f.AgreeForm, _agree, "已达成调解协议,可生成协议书。", "btn-success"),
        ActionSpec(
            "fail",
            "调解不成",
            f.FailForm,
            lambda r, c, d: workflow.dispute_fail(
                actor=current_user(r),
                case=c,
                reason=d["reason"],
                referral=d["referral"],
                referral_note=d["referral_note"],
            ),
            "已记录调解不成,并引导当事人通过其他途径解决。",
            "btn-outline-danger",
        ),
        ActionSpec(
            "jc-apply",
            "申请司法确认",
            f.JudicialApplyForm,
            lambda r, c, d: session_services.judicial_confirmation_apply(
                actor=current_user(r), case=c, applied_on=d["applied_on"], court=d["court"]
            ),
            "已登记司法确认申请。",
            "btn-outline-primary",
            transition=False,
            hint="双方当事人自协议生效之日起三十日内共同申请(《人民调解法》第三十三条)。",
        ),
        ActionSpec(
            "jc-result",
            "登记司法确认结果",
            f.JudicialResultForm,
            lambda r, c, d: session_services.judicial_confirmation_decide(
                actor=current_user(r), case=c, confirmed=d["confirmed"], decided_on=d["decided_on"], note=d["note"]
            ),
            "已登记司法确认结果。",
            "btn-outline-primary",
            transition=False,
        ),
        ActionSpec(
            "follow-up",
            "回访",
            f.FollowUpForm,
            lambda r, c, d: workflow.dispute_follow_up(
                actor=current_user(r),
                case=c,
                visited_on=d["visited_on"],
                method=d["method"],
                performance=d["performance"],
                note=d["note"],
            ),
            "回访已记录。",
        ),
        ActionSpec(
            "close",
            "结案",
            f.CloseForm,
            lambda r, c, d: workflow.dispute_close(actor=current_user(r), case=c, summary=d["summary"]),
            "案件已结案。",
            "btn-success",
        ),
        ActionSpec(
            "decline",
            "不予受理",
            f.DeclineForm,
            lambda r, c, d: workflow.dispute_decline(
                actor=current_user(r),
                case=c,
                reason=d["reason"],
                referral=d["referral"],
                referral_note=d["referral_note"],
            ),
            "已不予受理,并记录引导去向。",
            "btn-outline-danger",
            hint="如纠纷已进入诉讼、仲裁或行政程序,或当事人一方明确拒绝调解(《人民调解法》第十七、十八条)。",
        ),
        ActionSpec(
            "extend",
            "延长调解期限",
            f.ExtendForm,
            lambda r, c, d: workflow.dispute_extend(actor=current_user(r), case=c, days=d["days"], reason=d["reason"]),
            "调解期限已延长。",
            "btn-outline-secondary",
            transition=False,
        ),
        ActionSpec(
            "party", "添加当事人", f.AddPartyForm, _party, "当事人已添加。", "btn-outline-secondary", transition=False
        ),
        ActionSpec(
            "note",
            "备注",
            f.NoteForm,
            lambda r, c, d: workflow.dispute_note(actor=current_user(r), case=c, text=d["text"]),
            "已记录。",
            "btn-outline-secondary",
            transition=False,
        ),
    ]
}


def available_actions(user: Any, case: Any) -> list[str]:
    return [name for name in permissions.case_actions(user=user, case=case) if name in ACTIONS]


def detail_context(
    request: HttpRequest,
    case: Any,
    *,
    failed: str = "",
    form: forms.Form | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    user = request.user
    case = selectors.case_load(pk=case.pk)
    names = available_actions(user, case)
    can_work = permissions.can_work(user, case)
    sessions = []
    for session in case.sessions.all():
        bound = failed in (f"record-{session.pk}", f"cancel-{session.pk}") and form is not None
        record_form = form if bound and failed.startswith("record") else f.SessionRecordForm(session=session)
        cancel_form = form if bound and failed.startswith("cancel") else f.SessionCancelForm(session=session)
        editable = (
            can_work and session.status == SessionStatus.SCHEDULED and case.state in (State.ACCEPTED, State.MEDIATING)
        )
        sessions.append((session, record_form if editable else None, cancel_form if editable else None))
    flags = repeats.repeat_flags(user=user, cases=[case])[case.pk]
    return {
        "case": case,
        "breadcrumbs": ancestors_visible_to(user=user, node=case.node),
        "place": selectors.place_labels([case.node])[case.node_id],
        "due": selectors.due_status(case),
        "flags": flags,
        "parties": list(case.parties.all()),
        "team": list(case.team_members.all()),
        "sessions": sessions,
        "open_session": failed.split("-", 1)[1] if failed.startswith(("record-", "cancel-")) else "",
        "follow_ups": list(case.follow_ups.all()),
        "agreement": getattr(case, "agreement", None) if case.outcome == "agreed" else None,
        "timeline": [
            (event, STATE_LABELS.get(event.from_state, ""), STATE_LABELS.get(event.to_state, ""))
            for event in case.events.all()
        ],
        "panel": PAGE.panel(
            case,
            names=names,
            declare=lambda name: PanelAction.from_spec(ACTIONS[name]),
            form_for=lambda name: ACTIONS[name].form(case=case, user=user, action=name),
            url_for=lambda name: reverse("mediation:case-action", args=[case.pk, name]),
            failed=failed,
            form=form,
            open=failed if failed in ACTIONS else (names[0] if names and ACTIONS[names[0]].transition else ""),
        ),
        "can_reveal": permissions.can_reveal(user, case),
        # The matter's facts are shown here: mediators and legal advisers
        # cannot open the matters pages, so only matter staff get the link.
        "facts": from_matters.case_matter_facts(case=case),
        "can_open_matter": user_can(user, Capability.VIEW_MATTERS),
        "notice": notice,
        "error": error,
    }


PAGE = PanelPage(
    "mediation/_panel.html",
    "mediation/detail.html",
    "mediation:case",
    detail_context,
    StaleState,
    target="#case-panel",
    field_template="mediation/_field.html",
    novalidate=False,
)


@require_GET
@view_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_visible(user=request.user, pk=pk)
    return render(request, "mediation/detail.html", detail_context(request, case))


@require_POST
@view_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这项操作。")
    case = selectors.case_get_visible(user=request.user, pk=pk)
    form = spec.form(request.POST, case=case, user=request.user, action=action)
    return PAGE.run(request, case, action, form, lambda: spec.handler(request, case, form.cleaned_data), spec.done)
