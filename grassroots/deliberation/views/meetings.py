"""Staff pages of a meeting: list and convening, the meeting page (agenda,
resolutions with the responsible unit and person, corrections, opening,
adjourning, resuming, closing, cancelling) and the minutes PDF. Invitees and
check-in are in `attendance.py`. Each POST calls one service; a DomainError
becomes a message and nothing changes."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.documents import pdf_response
from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error
from grassroots.matters.models import Matter
from grassroots.matters.models import State as MatterState
from grassroots.matters.selectors import assignable_users, matter_get_visible, units_on_path, visible_matter_ids
from grassroots.matters.services.units import responsible_unit_default

from .. import forms as f
from .. import selectors, states
from ..models import AgendaItem, Meeting
from ..rules import VoteMethod
from ..services import agenda, meetings, resolutions
from ..services.invitations import invitations_editable
from ..states import State
from .common import convene_required, error_message


@convene_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    rows = selectors.meetings_visible_to(user=request.user, kind=kind)
    return render(request, "deliberation/list.html", {"meetings": rows[:100], "kind": kind})


@convene_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    villages = selectors.villages_visible_to(user=request.user)
    form = f.ConveneForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = meetings.meeting_convene(
                actor=current_user(request),
                node=d["node"],
                data=meetings.MeetingInput(
                    kind=d["kind"], title=d["title"], starts_at=d["starts_at"], place=d["place"]
                ),
            )
            if d["invite_all"]:
                on = timezone.localtime(meeting.starts_at).date()
                meetings.meeting_invite(
                    actor=current_user(request),
                    meeting=meeting,
                    representatives=selectors.representatives_in_term(village=d["node"], on=on),
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "会议已召集,已向受邀代表发送短信通知。")
            return redirect("deliberation:meeting", pk=meeting.pk)
    return render(request, "deliberation/new.html", {"form": form})


def _units_for(matter: Matter | None) -> Any:
    if matter is not None and matter.category is not None:
        responsible_unit_default(matter=matter, category=matter.category)  # make sure the default exists
    return units_on_path(matter=matter)


def _resolution_form(item: AgendaItem) -> f.ResolutionForm:
    matter = item.matter
    return f.ResolutionForm(
        units=_units_for(matter),
        assignees=assignable_users(matter=matter) if matter else [],
        auto_id=f"id_item{item.pk}_%s",
        initial={
            "due_date": timezone.localdate() + datetime.timedelta(days=14),
            "responsible_unit": matter.responsible_unit_id if matter else None,
            "assignee": matter.assignee_id if matter else None,
        },
    )


def _row(item: AgendaItem, meeting: Meeting, visible: set[int]) -> dict[str, Any]:
    res = getattr(item, "resolution", None)
    correction = None
    if res is not None and meeting.rules.vote_method == VoteMethod.HANDS:
        correction = f.CorrectionForm(
            auto_id=f"id_fix{res.pk}_%s",
            initial={
                "votes_for": res.votes_for,
                "votes_against": res.votes_against,
                "votes_abstain": res.votes_abstain,
            },
        )
    # A matter item can be voted on only while its matter is under deliberation
    # (after an adjournment it may have moved on, e.g. been resolved).
    votable = res is None and (item.matter is None or item.matter.state == MatterState.DELIBERATING)
    return {
        "item": item,
        "resolution": res,
        "form": _resolution_form(item) if votable and meeting.state == State.IN_SESSION else None,
        "votable": votable,
        "correction": correction,
        "matter_link": item.matter_id in visible,
    }


def meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """Everything the meeting page and its htmx fragments show."""
    roll_call = meeting.rules.vote_method == VoteMethod.ROLL_CALL
    items = selectors.agenda_of(meeting=meeting, roll_call=roll_call)
    invitations = selectors.invitations_of(meeting=meeting)
    present = sum(1 for i in invitations if i.present)
    if meeting.expected_count is None:
        meeting.expected_count = meetings.expected_count(meeting)
    matter_ids = [i.matter_id for i in items if i.matter_id]
    visible = visible_matter_ids(user=request.user, ids=matter_ids)
    rows = [_row(item, meeting, visible) for item in items]
    candidates = (
        list(selectors.topic_candidates(user=request.user, village=meeting.host_village)[:50])
        if meeting.state in states.EDITABLE_STATES
        else []
    )
    accepted = selectors.proposals_ready(village=meeting.host_village)
    invitees_editable = invitations_editable(meeting)
    return {
        "meeting": meeting,
        "rows": rows,
        "invitations": invitations,
        "quorum": resolutions.quorum_status(meeting, present),
        "candidates": candidates,
        "proposals": list(accepted[:20]),
        "roll_call": roll_call,
        "attendees": [i for i in invitations if i.present],
        "invitees_editable": invitees_editable,
        "invite": selectors.invitation_candidates(meeting=meeting) if invitees_editable else None,
        "events": selectors.meeting_events(meeting=meeting),
    }


@convene_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    return render(request, "deliberation/detail.html", meeting_context(request, meeting))


ACTION_DONE = {
    "open": "会议已开始,请为到会人员签到。",
    "close": "会议已结束,可下载会议纪要。",
    "adjourn": "会议已休会,未表决的事项已退回办理;继续会议时重新列入议事。",
    "resume": "会议已继续,未表决的事项重新进入议事。",
    "cancel": "会议已取消,未表决的事项已退回办理。",
}


@require_POST
@convene_required
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    if action not in ACTION_DONE:
        raise Http404()
    reason = request.POST.get("reason", "")
    try:
        if action == "open":
            meetings.meeting_open(actor=current_user(request), meeting=meeting)
        elif action == "close":
            meetings.meeting_close(
                actor=current_user(request), meeting=meeting, minutes=request.POST.get("minutes", "")
            )
        elif action == "adjourn":
            meetings.meeting_adjourn(actor=current_user(request), meeting=meeting, reason=reason)
        elif action == "resume":
            meetings.meeting_resume(actor=current_user(request), meeting=meeting)
        else:
            meetings.meeting_cancel(actor=current_user(request), meeting=meeting, reason=reason)
    except DomainError as exc:
        error_message(request, exc)
    else:
        messages.success(request, ACTION_DONE[action])
    return redirect("deliberation:meeting", pk=meeting.pk)


@require_POST
@convene_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    try:
        if request.POST.get("matter"):
            matter = matter_get_visible(user=request.user, pk=request.POST["matter"])
            agenda.agenda_add_matter(actor=current_user(request), meeting=meeting, matter=matter)
        elif request.POST.get("proposal"):
            proposal = selectors.proposal_in_scope(user=request.user, pk=request.POST["proposal"])
            agenda.agenda_add_proposal(actor=current_user(request), meeting=meeting, proposal=proposal)
        else:
            agenda.agenda_add_topic(actor=current_user(request), meeting=meeting, title=request.POST.get("title", ""))
    except DomainError as exc:
        error_message(request, exc)
    else:
        messages.success(request, "议题已列入议程。")
    return redirect("deliberation:meeting", pk=meeting.pk)


def _int(value: Any) -> int:
    return int(value) if value not in (None, "") else 0


@require_POST
@convene_required
def resolution_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.agenda_item_in_scope(user=request.user, pk=pk)
    form = f.ResolutionForm(
        request.POST,
        units=_units_for(item.matter),
        assignees=assignable_users(matter=item.matter) if item.matter else [],
    )
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("deliberation:meeting", pk=item.meeting_id)
    d = form.cleaned_data
    roll: dict[int, str] = {}
    for key, value in request.POST.items():
        number = key.removeprefix("vote_")
        if key.startswith("vote_") and number.isdigit() and value:
            roll[int(number)] = str(value)
    try:
        res = resolutions.resolution_record(
            actor=current_user(request),
            item=item,
            data=resolutions.VoteInput(
                decision=d["decision"],
                votes_for=_int(d.get("votes_for")),
                votes_against=_int(d.get("votes_against")),
                votes_abstain=_int(d.get("votes_abstain")),
                roll_call=roll,
                responsible_unit=d.get("responsible_unit"),
                assignee=d.get("assignee"),
                due_date=d.get("due_date"),
            ),
        )
    except DomainError as exc:
        error_message(request, exc)
    else:
        messages.success(request, f"决议已记录:{'通过' if res.passed else '未通过'}。")
    return redirect("deliberation:meeting", pk=item.meeting_id)


@require_POST
@convene_required
def resolution_fix(request: HttpRequest, pk: int) -> HttpResponse:
    res = selectors.resolution_in_scope(user=request.user, pk=pk)
    form = f.CorrectionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            resolutions.resolution_correct(
                actor=current_user(request),
                resolution=res,
                votes_for=d["votes_for"],
                votes_against=d["votes_against"],
                votes_abstain=d["votes_abstain"],
                reason=d["reason"],
            )
        except DomainError as exc:
            error_message(request, exc)
        else:
            messages.success(request, "计票已更正,更正记录已留存。")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("deliberation:meeting", pk=res.item.meeting_id)


def minutes_context(meeting: Meeting) -> dict[str, Any]:
    items = selectors.agenda_of(meeting=meeting)
    invitations = selectors.invitations_of(meeting=meeting)
    return {
        "meeting": meeting,
        "items": items,
        "attendees": [i for i in invitations if i.present],
        "absent": [i for i in invitations if not i.present],
        "title": f"{meeting.title}会议纪要",
        "org_name": meeting.node.label,
        "doc_number": f"议事纪要第 {meeting.pk} 号",
    }


@convene_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_visible(user=request.user, pk=pk)
    if meeting.state != State.CLOSED:
        messages.error(request, "会议结束后才能生成会议纪要。")
        return redirect("deliberation:meeting", pk=meeting.pk)
    return pdf_response(
        filename=f"会议纪要-{meeting.pk}.pdf",
        template_name="deliberation/minutes_pdf.html",
        context=minutes_context(meeting),
        inline=False,
    )
